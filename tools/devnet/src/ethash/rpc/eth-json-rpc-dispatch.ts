import { LodeError } from '@lode/stratum-core';
import { EthRpcErrorCode } from './eth-rpc-errors';
import type { EthRpcContext, EthRpcMethod } from './eth-rpc-method';

/** A JSON-RPC 2.0 reply as geth writes it: `jsonrpc`, `id`, then `result` or `error`. */
export type EthJsonRpcReply =
  | { jsonrpc: '2.0'; id: unknown; result: unknown }
  | { jsonrpc: '2.0'; id: unknown; error: { code: number; message: string } };

/** Most requests in one batch (geth's BatchRequestLimit is 1000). */
export const MAX_BATCH_REQUESTS = 1000;

const errorReply = (id: unknown, code: number, message: string): EthJsonRpcReply => ({ jsonrpc: '2.0', id, error: { code, message } });

function checkArity(method: EthRpcMethod, params: unknown[]): void {
  const max = method.params.length;
  const required = method.required ?? max;
  if (params.length > max) {
    throw new LodeError('node', `too many arguments, want at most ${max}`, { code: EthRpcErrorCode.INVALID_PARAMS });
  }
  if (params.length < required) {
    throw new LodeError('node', `missing value for required argument ${params.length}`, { code: EthRpcErrorCode.INVALID_PARAMS });
  }
}

/** One request object -> its reply, or undefined for a notification (no `id` member). */
async function callOne(request: unknown, methods: ReadonlyMap<string, EthRpcMethod>, context: EthRpcContext): Promise<EthJsonRpcReply | undefined> {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return errorReply(null, EthRpcErrorCode.INVALID_REQUEST, 'invalid request');
  }
  const r = request as Record<string, unknown>;
  const hasId = 'id' in r && r['id'] !== undefined;
  const id = hasId ? r['id'] : null;
  const validId = !hasId || id === null || (typeof id !== 'object' && typeof id !== 'boolean');
  if (r['jsonrpc'] !== '2.0' || typeof r['method'] !== 'string' || r['method'] === '' || !validId) {
    return errorReply(validId ? id : null, EthRpcErrorCode.INVALID_REQUEST, 'invalid request');
  }
  const name = r['method'];
  let reply: EthJsonRpcReply;
  try {
    const method = methods.get(name);
    if (!method) throw new LodeError('node', `the method ${name} does not exist/is not available`, { code: EthRpcErrorCode.METHOD_NOT_FOUND });
    const raw = r['params'];
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) {
      throw new LodeError('node', 'non-array args', { code: EthRpcErrorCode.INVALID_PARAMS });
    }
    const params = (raw ?? []) as unknown[];
    checkArity(method, params);
    const result = await method.handle(params, context);
    reply = { jsonrpc: '2.0', id, result: result ?? null };
  } catch (e) {
    const code = LodeError.is(e) && e.code !== undefined ? e.code : EthRpcErrorCode.SERVER_ERROR;
    reply = errorReply(id, code, e instanceof Error ? e.message : String(e));
  }
  return hasId ? reply : undefined;
}

/**
 * Answers a parsed JSON-RPC 2.0 body as geth's HTTP server does (always
 * with HTTP status 200):
 *
 * - one request object -> one reply; a notification (no `id`) -> no reply (undefined);
 * - an array -> an array of replies in order, notifications left out
 *   (undefined when nothing is left); an empty array -> -32600 "empty batch";
 *   more than 1000 requests -> -32600 "batch too large";
 * - a request without `"jsonrpc": "2.0"`, a string `method`, or with an
 *   object / array / boolean id -> -32600 "invalid request";
 * - unknown method -> -32601 "the method X does not exist/is not available";
 * - `params` neither array nor absent -> -32602 "non-array args"; wrong count ->
 *   -32602 "too many arguments, want at most N" / "missing value for required argument N";
 * - a handler's LodeError keeps its code; any other failure is -32000.
 *
 * @see go-ethereum rpc/handler.go, rpc/json.go, rpc/errors.go
 */
export async function dispatchEthJsonRpc(
  body: unknown,
  methods: ReadonlyMap<string, EthRpcMethod>,
  context: EthRpcContext,
): Promise<EthJsonRpcReply | EthJsonRpcReply[] | undefined> {
  if (!Array.isArray(body)) return callOne(body, methods, context);
  if (body.length === 0) return errorReply(null, EthRpcErrorCode.INVALID_REQUEST, 'empty batch');
  if (body.length > MAX_BATCH_REQUESTS) return errorReply(null, EthRpcErrorCode.INVALID_REQUEST, 'batch too large');
  const replies: EthJsonRpcReply[] = [];
  for (const request of body) {
    const reply = await callOne(request, methods, context);
    if (reply) replies.push(reply);
  }
  return replies.length > 0 ? replies : undefined;
}
