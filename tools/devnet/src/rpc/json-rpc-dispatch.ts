import { LodeError } from '@lode/stratum-core';
import { rpcError, RpcErrorCode } from './rpc-errors';
import type { RpcContext, RpcMethod } from './rpc-method';

/** A JSON-RPC 1.0 reply as bitcoind writes it: `result` and `error` always both present. */
export interface JsonRpcReply {
  result: unknown;
  error: { code: number; message: string } | null;
  id: unknown;
}

/** A reply and the HTTP status bitcoind sends it with. */
export interface HttpRpcReply {
  status: number;
  body: JsonRpcReply | JsonRpcReply[];
}

function errorReply(id: unknown, e: unknown): JsonRpcReply {
  if (LodeError.is(e) && e.code !== undefined) return { result: null, error: { code: e.code, message: e.message }, id };
  const message = e instanceof Error ? e.message : String(e);
  return { result: null, error: { code: RpcErrorCode.MISC_ERROR, message }, id };
}

function positional(method: RpcMethod, params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  if (Array.isArray(params)) return params;
  if (typeof params !== 'object') throw rpcError(RpcErrorCode.INVALID_REQUEST, 'Params must be an array or object');
  const out: unknown[] = [];
  for (const [key, value] of Object.entries(params)) {
    const index = method.params.indexOf(key);
    if (index < 0) throw rpcError(RpcErrorCode.INVALID_PARAMETER, `Unknown named parameter ${key}`);
    out[index] = value;
  }
  return out;
}

async function callOne(request: unknown, methods: ReadonlyMap<string, RpcMethod>, context: RpcContext): Promise<JsonRpcReply> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return errorReply(null, rpcError(RpcErrorCode.INVALID_REQUEST, 'Invalid Request object'));
  }
  const r = request as Record<string, unknown>;
  const id = r['id'] ?? null;
  try {
    if (r['method'] === undefined || r['method'] === null) throw rpcError(RpcErrorCode.INVALID_REQUEST, 'Missing method');
    if (typeof r['method'] !== 'string') throw rpcError(RpcErrorCode.INVALID_REQUEST, 'Method must be a string');
    if (r['params'] !== undefined && r['params'] !== null && typeof r['params'] !== 'object') {
      throw rpcError(RpcErrorCode.INVALID_REQUEST, 'Params must be an array or object');
    }
    const method = methods.get(r['method']);
    if (!method) throw rpcError(RpcErrorCode.METHOD_NOT_FOUND, 'Method not found');
    const result = await method.handle(positional(method, r['params']), context);
    return { result: result ?? null, error: null, id };
  } catch (e) {
    return errorReply(id, e);
  }
}

/** bitcoind's HTTP status for a single request's error: 400 invalid request, 404 unknown method, else 500. */
function statusOf(reply: JsonRpcReply): number {
  if (!reply.error) return 200;
  if (reply.error.code === RpcErrorCode.INVALID_REQUEST) return 400;
  if (reply.error.code === RpcErrorCode.METHOD_NOT_FOUND) return 404;
  return 500;
}

/**
 * Answers a parsed JSON-RPC body as bitcoind's HTTP server does: one
 * request object -> one reply with its status (200, or 400 / 404 / 500 for
 * errors); an array -> an array of replies with status 200; anything else
 * -> -32700 "Top-level object parse error" with 500.
 *
 * @see Bitcoin Core src/httprpc.cpp (HTTPReq_JSONRPC, JSONErrorReply), src/rpc/request.cpp
 */
export async function dispatchJsonRpc(
  body: unknown,
  methods: ReadonlyMap<string, RpcMethod>,
  context: RpcContext,
): Promise<HttpRpcReply> {
  if (Array.isArray(body)) {
    const replies: JsonRpcReply[] = [];
    for (const request of body) replies.push(await callOne(request, methods, context));
    return { status: 200, body: replies };
  }
  if (typeof body === 'object' && body !== null) {
    const reply = await callOne(body, methods, context);
    return { status: statusOf(reply), body: reply };
  }
  return { status: 500, body: errorReply(null, rpcError(RpcErrorCode.PARSE_ERROR, 'Top-level object parse error')) };
}
