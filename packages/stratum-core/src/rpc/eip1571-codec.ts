import { LodeError } from '../errors';
import type { RpcCodec, RpcErrorBody, RpcExtraMembers, RpcId, RpcMessage } from './messages';

/**
 * `params` of an EthereumStratum/2.0.0 request or notification: an array of
 * one element type, an object, a string (`mining.subscribe` with a session
 * id), or `undefined` when the `params` member is absent (`mining.noop`,
 * `mining.bye`, a fresh `mining.subscribe`).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Requests", "Session Handling - Session Subscription"
 */
export type Eip1571Params = unknown[] | Record<string, unknown> | string | undefined;

/** EIP-1571 4xx: "server could not process the request due to syntactic problems". */
const BAD_REQUEST = 400;
const MAX_ID = 65535;
const MEMBER_NAME = /^[a-z][a-z0-9]*$/;
const NOT_PRINTABLE = /[^\x20-\x7e]/;
const NOT_PRINTABLE_ALL = /[^\x20-\x7e]/g;

type JsonObject = Record<string, unknown>;
type JsonType = 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean';

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function jsonType(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonType;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_ID;
}

interface Node {
  value: unknown;
  parent: Node | undefined;
  key: string | number | undefined;
}

function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let n: Node | undefined = node; n?.key !== undefined; n = n.parent) {
    parts.push(typeof n.key === 'number' ? `[${n.key}]` : `.${n.key}`);
  }
  const path = parts.reverse().join('');
  return path === '' ? 'the message' : path.replace(/^\./, '');
}

/**
 * The first breach of the "Conventions" in a parsed message, or undefined:
 * member names at every depth, JSON booleans, arrays mixing element types.
 * Iterative, so a deeply nested line cannot exhaust the stack.
 */
function conventionBreach(root: unknown): string | undefined {
  const stack: Node[] = [{ value: root, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const { value } = node;
    if (typeof value === 'boolean') {
      return `${pathOf(node)} is the JSON boolean ${value}; EIP-1571 writes booleans as "0"/"1"`;
    }
    if (Array.isArray(value)) {
      const first = value.length > 0 ? jsonType(value[0]) : undefined;
      for (let i = 0; i < value.length; i++) {
        const type = jsonType(value[i]);
        if (type !== first) {
          return `array ${pathOf(node)} mixes element types (${first} at [0], ${type} at [${i}]); EIP-1571 arrays hold one type`;
        }
        stack.push({ value: value[i], parent: node, key: i });
      }
    } else if (isObject(value)) {
      for (const [name, member] of Object.entries(value)) {
        if (!MEMBER_NAME.test(name)) {
          return `member name ${show(name)} in ${pathOf(node)} is not lower-case letters and digits starting with a letter`;
        }
        stack.push({ value: member, parent: node, key: name });
      }
    }
  }
  return undefined;
}

function readError(error: unknown): RpcErrorBody | string {
  if (!isObject(error)) return `error is ${show(error)}, expected {"code": number, "message": string[, "data"]}`;
  for (const name of Object.keys(error)) {
    if (name !== 'code' && name !== 'message' && name !== 'data') {
      return `error has member ${show(name)}, expected only "code", "message" and "data"`;
    }
  }
  const { code, message } = error;
  if (typeof code !== 'number' || !Number.isInteger(code)) return `error code is ${show(code)}, expected an integer`;
  if (typeof message !== 'string') return `error message is ${show(message)}, expected a string`;
  const body: RpcErrorBody = { code, message };
  if ('data' in error) body.data = error['data'];
  return body;
}

function invalid(id: RpcId, reason: string): RpcMessage<Eip1571Params> {
  return { type: 'invalid', id, reason, code: BAD_REQUEST };
}

function decode(line: string): RpcMessage<Eip1571Params> {
  const bad = NOT_PRINTABLE.exec(line);
  const badReason =
    bad === null
      ? undefined
      : `character 0x${bad[0].charCodeAt(0).toString(16).padStart(2, '0')} at offset ${bad.index} is outside printable ASCII 32..126`;

  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return invalid(null, badReason ?? `invalid JSON: ${(e as Error).message}`);
  }
  if (!isObject(parsed)) return invalid(null, `message is ${jsonType(parsed)}, expected a JSON object`);
  const msg = parsed;

  let id: number | null = null;
  if ('id' in msg) {
    if (!isId(msg['id'])) return invalid(null, `id is ${show(msg['id'])}, expected an integer 0..65535`);
    id = msg['id'];
  }
  if (badReason !== undefined) return invalid(id, badReason);
  if ('jsonrpc' in msg) return invalid(id, 'member "jsonrpc" must be omitted in EthereumStratum/2.0.0');
  const breach = conventionBreach(msg);
  if (breach !== undefined) return invalid(id, breach);

  if ('method' in msg) {
    const method = msg['method'];
    if (typeof method !== 'string' || method === '') {
      return invalid(id, `method is ${show(method)}, expected a non-empty string`);
    }
    if ('result' in msg || 'error' in msg) {
      return invalid(id, `message has "method" and "${'result' in msg ? 'result' : 'error'}": it is neither a request nor a response`);
    }
    let params: Eip1571Params;
    if ('params' in msg) {
      const p = msg['params'];
      if (p === null) return invalid(id, `"params": null is not permitted; omit params of ${method} instead`);
      if (!Array.isArray(p) && !isObject(p) && typeof p !== 'string') {
        return invalid(id, `params of ${method} is ${show(p)}, expected an array, an object or a string`);
      }
      params = p;
    }
    return id === null ? { type: 'notification', method, params } : { type: 'request', id, method, params };
  }

  if ('params' in msg) return invalid(id, 'message has "params" but no "method"');
  if (id === null) {
    return invalid(null, 'message has neither "method" (request, notification) nor "id" (response)');
  }
  let error: RpcErrorBody | null = null;
  if ('error' in msg) {
    const read = readError(msg['error']);
    if (typeof read === 'string') return invalid(id, read);
    error = read;
  }
  return { type: 'response', id, result: msg['result'], error };
}

function escapeNonAscii(json: string): string {
  // JSON.stringify already escapes control characters; what is left outside
  // 32..126 can only be inside strings, where \uXXXX means the same.
  return json.replace(NOT_PRINTABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function checkId(id: unknown, what: string): number {
  if (isId(id)) return id;
  throw new LodeError(
    'protocol',
    `${what} id is ${show(id)}; EIP-1571 ids are integers 0..65535${id === null ? ' and responses always carry the request id' : ''}`,
  );
}

/** Serializes, then proves the line decodes as `expected`: every line sent keeps the dialect's rules. */
function finish(message: JsonObject, expected: RpcMessage['type'], what: string): string {
  let line: string;
  try {
    line = escapeNonAscii(JSON.stringify(message));
  } catch (e) {
    throw new LodeError('protocol', `cannot encode ${what}: ${(e as Error).message}`, { cause: e });
  }
  const check = decode(line);
  if (check.type === 'invalid') throw new LodeError('protocol', `cannot encode ${what}: ${check.reason}`);
  if (check.type !== expected) throw new LodeError('protocol', `cannot encode ${what}: it would read as a ${check.type}`);
  return line;
}

function withParams(message: JsonObject, method: string, params: Eip1571Params): JsonObject {
  if (typeof method !== 'string' || method === '') {
    throw new LodeError('protocol', `method is ${show(method)}, expected a non-empty string`);
  }
  if (params === null) throw new LodeError('protocol', `"params": null is not permitted; pass undefined to omit params of ${method}`);
  if (params !== undefined) message['params'] = params;
  return message;
}

/**
 * The EthereumStratum/2.0.0 JSON-RPC codec (EIP-1571): JSON-RPC 2.0 with the
 * spec's "defiances" and "Conventions".
 *
 * Decoding never throws. A violation decodes to
 * `{type:'invalid', id, reason, code: 400}`, with the message's id when it
 * could be read (null otherwise), for:
 * - a character outside printable ASCII 32..126; text that is not JSON or
 *   not a JSON object;
 * - a `jsonrpc` member; an `id` that is present but not an integer 0..65535
 *   (null and strings included; the id is then unreadable);
 * - a member name, at any depth, not matching `^[a-z][a-z0-9]*$`; a JSON
 *   boolean anywhere (the dialect writes "0"/"1"); an array, at any depth,
 *   whose elements are not all of one JSON type (null counts as a type);
 * - `"params": null`, params that are not an array, object or string, or
 *   params without a method;
 * - a message with `method` and `result`/`error`; a message with neither
 *   `method` nor `id`; an `error` that is not exactly
 *   `{code: integer, message: string[, data]}`.
 *
 * Otherwise: `method` with an `id` is a request (`"id": 0` included),
 * `method` without `id` a notification (`params` is `undefined` when the
 * member is absent); an `id` without `method` is a response, where `{"id":2}`
 * is a success with `result` undefined, and `error` may come with a `result`
 * (the spec's failure responses MAY carry one). Unknown top-level members
 * that follow the naming rule are ignored.
 *
 * Encoding (one line, no terminator): `{"id":0,"method":"mining.hello","params":{...}}`,
 * `{"method":"mining.set","params":{...}}`, `{"id":31}` for a success with an
 * undefined result, `{"id":2,"result":"w-123"}`,
 * `{"id":31,"error":{"code":406,"message":"Bad nonce"}}` (`data` only when
 * defined). No `jsonrpc` member; `params` is omitted when undefined; every
 * character outside 32..126 is written as `\uXXXX`, so each line is printable
 * ASCII. Each encoded line is checked against the decoding rules above.
 *
 * @throws LodeError('protocol') from the encoders for an id that is not an
 *   integer 0..65535 (a null response id included), an empty method,
 *   `params: null`, or a payload the decoder would refuse (a JSON boolean,
 *   a mixed array, a member name with capitals, a non-integer error code)
 * @see specs/003_fafafa51dc5fa36a.txt "JSON-RPC-2.0 Compliances", "JSON-RPC-2.0 Defiances",
 *   "Conventions", "Requests", "Responses", "Error member"; facts/ethash.md §1.3
 */
/**
 * EIP-1571 messages have no members beyond their own.
 *
 * @throws LodeError('protocol') when `extra` has any member
 */
function noExtra(extra: RpcExtraMembers | undefined, what: string): void {
  if (extra !== undefined && Object.keys(extra).length > 0) {
    throw new LodeError('protocol', `${what}: EIP-1571 messages carry no extra members (${Object.keys(extra).join(', ')})`);
  }
}

export const eip1571Codec: RpcCodec<Eip1571Params> = {
  name: 'ethereumstratum-2.0.0',
  decode,
  encodeRequest(id, method, params) {
    const message = withParams({ id: checkId(id, `request ${show(method)}`), method }, method, params);
    return finish(message, 'request', `request ${method} (id ${id})`);
  },
  encodeNotification(method, params, extra) {
    noExtra(extra, `notification ${method}`);
    return finish(withParams({ method }, method, params), 'notification', `notification ${method}`);
  },
  encodeResult(id, result, extra) {
    noExtra(extra, `result for id ${id}`);
    const message: JsonObject = { id: checkId(id, 'response') };
    if (result !== undefined) message['result'] = result;
    return finish(message, 'response', `result for id ${id}`);
  },
  encodeError(id, error) {
    const body: JsonObject = { code: error.code, message: error.message };
    if (error.data !== undefined) body['data'] = error.data;
    return finish({ id: checkId(id, 'response'), error: body }, 'response', `error for id ${id}`);
  },
};
