import { LodeError } from '../errors';
import type { RpcCodec, RpcErrorBody, RpcExtraMembers, RpcId, RpcMessage } from './messages';

/**
 * Code given to an error that a pool sent as a bare string: Stratum v1's
 * 20 "Other/Unknown" (slush0, Stratum mining protocol, "Error codes").
 */
const UNKNOWN_ERROR_CODE = 20;

type JsonObject = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function readId(msg: JsonObject): RpcId | { bad: string } {
  const id = msg['id'];
  if (id === undefined || id === null) return null;
  if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) return id;
  return { bad: `id is ${describe(id)}, expected a number, a string or null` };
}

function readCode(code: unknown): number | undefined {
  if (typeof code === 'number' && Number.isFinite(code)) return code;
  // Some pools send the code as a numeric string ("21").
  if (typeof code === 'string' && code.trim() !== '' && Number.isFinite(Number(code))) return Number(code);
  return undefined;
}

function readMessage(message: unknown): string {
  if (typeof message === 'string') return message;
  return message === undefined || message === null ? '' : JSON.stringify(message);
}

function readError(error: unknown): RpcErrorBody | null | string {
  if (error === null || error === undefined) return null;
  if (typeof error === 'string') return { code: UNKNOWN_ERROR_CODE, message: error };
  if (Array.isArray(error)) {
    const code = readCode(error[0]);
    if (code === undefined) return `error code is ${describe(error[0])}, expected a number`;
    const body: RpcErrorBody = { code, message: readMessage(error[1]) };
    if (error[2] !== undefined && error[2] !== null) body.data = error[2];
    return body;
  }
  if (typeof error === 'object') {
    const obj = error as JsonObject;
    const code = readCode(obj['code']);
    if (code === undefined) return `error code is ${describe(obj['code'])}, expected a number`;
    const body: RpcErrorBody = { code, message: readMessage(obj['message']) };
    if (obj['data'] !== undefined && obj['data'] !== null) body.data = obj['data'];
    return body;
  }
  return `error is ${describe(error)}, expected [code, message, data], an object or null`;
}

/** Members a codec of this file writes itself; an extra member may not take their names. */
const OWN_MEMBERS = new Set(['id', 'method', 'params', 'result', 'error', 'jsonrpc']);

/**
 * Sets `key` as an own enumerable member. A plain assignment would call the
 * `__proto__` setter for a member a peer named "__proto__" (JSON.parse keeps
 * it as an own member), replacing the object's prototype instead of adding
 * the member: the member was lost and its contents read through the
 * prototype (`extra.worker` from `{"__proto__":{"worker":…}}`).
 */
function defineMember(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Top-level members beyond the codec's own, or undefined when there are none. */
function readExtra(msg: JsonObject): RpcExtraMembers | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(msg)) {
    if (OWN_MEMBERS.has(key)) continue;
    extra ??= {};
    defineMember(extra, key, msg[key]);
  }
  return extra;
}

/**
 * `message` with the extra members appended.
 *
 * @throws LodeError('protocol') when an extra member would overwrite one of the codec's own
 */
function withExtra(message: JsonObject, extra: RpcExtraMembers | undefined): JsonObject {
  if (extra === undefined) return message;
  for (const key of Object.keys(extra)) {
    if (OWN_MEMBERS.has(key)) throw new LodeError('protocol', `extra member ${JSON.stringify(key)} would overwrite the message's own`);
    defineMember(message, key, extra[key]);
  }
  return message;
}

/**
 * Encoded classic notifications by their params, for params that can never
 * change (see {@link isImmutableJson}); an entry is reused only for the same
 * method, and goes when the params array is collected.
 */
const encodedNotifications = new WeakMap<readonly unknown[], { method: string; line: string }>();

/**
 * Whether `value` and everything in it can never change, so that its JSON
 * text can be kept: strings, numbers, booleans, null and undefined, and
 * frozen arrays and plain objects holding only such values. Anything else
 * (a Buffer, a Date, an object with a `toJSON` or a getter, an unfrozen
 * container, more than 8 levels deep) is not.
 */
function isImmutableJson(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function' && typeof value !== 'symbol' && typeof value !== 'bigint';
  if (depth > 8 || !Object.isFrozen(value)) return false;
  if (Array.isArray(value)) return value.every((item) => isImmutableJson(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  // A getter could answer differently each time: data members only.
  return Object.values(Object.getOwnPropertyDescriptors(value)).every(
    (member) => !member.enumerable || ('value' in member && isImmutableJson(member.value, depth + 1)),
  );
}

/**
 * Decodes one line. With `pushMethod` (JSON-RPC 2.0 as EthProxy uses it), a
 * result with id 0 or no id and no `method` is a push, decoded as a
 * notification of that method carrying the result as params.
 */
function decodeWith(line: string, pushMethod: string | undefined): RpcMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return { type: 'invalid', id: null, reason: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { type: 'invalid', id: null, reason: `message is ${describe(parsed)}, expected a JSON object` };
  }
  const msg = parsed as JsonObject;
  const id = readId(msg);
  if (typeof id === 'object' && id !== null) return { type: 'invalid', id: null, reason: id.bad };

  if ('method' in msg) {
    const method = msg['method'];
    if (typeof method !== 'string' || method === '') {
      return { type: 'invalid', id, reason: `method is ${describe(method)}, expected a non-empty string` };
    }
    const params = msg['params'] ?? [];
    if (!Array.isArray(params)) {
      return { type: 'invalid', id, reason: `params of ${method} is ${describe(params)}, expected an array` };
    }
    const extra = readExtra(msg);
    const base = id === null ? { type: 'notification' as const, method, params } : { type: 'request' as const, id, method, params };
    return extra === undefined ? base : { ...base, extra };
  }

  if (pushMethod !== undefined && (id === null || id === 0) && Array.isArray(msg['result']) && (msg['error'] === undefined || msg['error'] === null)) {
    const extra = readExtra(msg);
    const push = { type: 'notification' as const, method: pushMethod, params: msg['result'] as unknown[] };
    return extra === undefined ? push : { ...push, extra };
  }

  if ('result' in msg || 'error' in msg) {
    const error = readError(msg['error']);
    if (typeof error === 'string') return { type: 'invalid', id, reason: error };
    return { type: 'response', id, result: error === null ? (msg['result'] ?? null) : null, error };
  }

  return { type: 'invalid', id, reason: 'message has neither "method" nor "result"/"error"' };
}

/**
 * The Stratum v1 JSON-RPC codec (JSON-RPC 1.0 style, no `"jsonrpc"` member),
 * as spoken by Bitcoin-family pools and miners.
 *
 * Decoding (never throws; see {@link RpcMessage}):
 * - top-level members other than id, method, params, result, error and
 *   jsonrpc are kept as the request's or notification's `extra`;
 * - ids are numbers, strings or null; any other id is `invalid` with id null;
 * - `method` with a non-null id is a `request`, with a null or missing id a
 *   `notification`; `params` must be an array (missing -> `[]`), otherwise
 *   `invalid` carrying the id so the reply can name it;
 * - `result` or `error` makes a `response`; the error is read from the
 *   `[code, message, data]` triple, and tolerated as `{code, message, data}`
 *   (some pools) or a bare string (code 20, "Other/Unknown");
 * - non-JSON -> `{type:'invalid', id:null, reason:'invalid JSON: ...'}`;
 *   JSON that is not an object -> `invalid`.
 *
 * Encoding (one line, no terminator):
 * - request `{"id":1,"method":"mining.subscribe","params":[]}`;
 * - notification `{"id":null,"method":"mining.notify","params":[...]}`;
 * - success `{"id":1,"result":true,"error":null}` and failure
 *   `{"id":1,"result":null,"error":[21,"Job not found",null]}`: both members are
 *   always present, because firmware that expects `"error": null` disconnects
 *   otherwise (field-notes.md §1.1, Miningcore #1709);
 * - `extra` members go after the codec's own (throws LodeError('protocol')
 *   when one would overwrite them).
 *
 * A notification whose `params` is a frozen array (holding only strings,
 * numbers, booleans, null, and frozen arrays and plain objects of those) and
 * that has no `extra` is encoded once and its line kept, keyed weakly by the
 * params array: a job's `mining.notify` params shared by every session
 * (dialect-bitcoin `encodeNotifyParams` returns one frozen array per frozen
 * job) is stringified once per job, not once per session.
 */
export const classicCodec: RpcCodec = {
  name: 'stratum-v1',
  decode: (line) => decodeWith(line, undefined),
  encodeRequest(id, method, params) {
    return JSON.stringify({ id, method, params });
  },
  encodeNotification(method, params, extra) {
    if (extra !== undefined || !Object.isFrozen(params)) return JSON.stringify(withExtra({ id: null, method, params }, extra));
    const cached = encodedNotifications.get(params);
    if (cached !== undefined && cached.method === method) return cached.line;
    const line = JSON.stringify({ id: null, method, params });
    if (isImmutableJson(params)) encodedNotifications.set(params, { method, line });
    return line;
  },
  encodeResult(id, result, extra) {
    // The reply to nearly every share: the same bytes JSON.stringify writes, without the object.
    if (typeof result === 'boolean' && extra === undefined && typeof id === 'number' && Number.isSafeInteger(id)) {
      return `{"id":${id},"result":${result},"error":null}`;
    }
    return JSON.stringify(withExtra({ id, result: result === undefined ? null : result, error: null }, extra));
  },
  encodeError(id, error) {
    return JSON.stringify({ id, result: null, error: [error.code, error.message, error.data ?? null] });
  },
};

/** Options of {@link jsonRpc2Codec}. */
export interface JsonRpc2CodecOptions {
  /**
   * the method name under which a pushed result (`{"id":0,"result":[...]}`,
   * no `method`) is decoded as a notification, and which
   * `encodeNotification` writes in that form. EthProxy pushes new work this
   * way (facts/ethash.md §1.1). Not a method on the wire. Absent: no pushes.
   */
  pushMethod?: string;
}

/**
 * JSON-RPC 2.0 as EthProxy pools and miners speak it (sammy007
 * open-ethereum-pool `docs/STRATUM.md`, facts/ethash.md §1.1):
 *
 * - every line out carries `"jsonrpc":"2.0"`; requests
 *   `{"id":1,"jsonrpc":"2.0","method":"eth_submitLogin","params":[...]}`,
 *   results `{"id":1,"jsonrpc":"2.0","result":true}`, errors
 *   `{"id":1,"jsonrpc":"2.0","result":null,"error":{"code":23,"message":"Invalid share"}}`
 *   (an object, `data` when given), notifications without an id;
 * - a notification of `pushMethod` is written as the push
 *   `{"id":0,"jsonrpc":"2.0","result":[...]}`, and such a line (id 0 or no
 *   id, a `result` array, no `method`, no error) decodes as that notification;
 * - decoding is the classic codec's otherwise (the `jsonrpc` member is not
 *   required; errors read as objects, triples or strings; top-level members
 *   such as EthProxy's `"worker"` kept as `extra`);
 * - `extra` members go after the codec's own (throws LodeError('protocol')
 *   when one would overwrite them).
 */
export function jsonRpc2Codec(options: JsonRpc2CodecOptions = {}): RpcCodec {
  const { pushMethod } = options;
  return {
    name: 'json-rpc-2.0',
    decode: (line) => decodeWith(line, pushMethod),
    encodeRequest(id, method, params) {
      return JSON.stringify({ id, jsonrpc: '2.0', method, params });
    },
    encodeNotification(method, params, extra) {
      if (method === pushMethod) return JSON.stringify(withExtra({ id: 0, jsonrpc: '2.0', result: params }, extra));
      return JSON.stringify(withExtra({ jsonrpc: '2.0', method, params }, extra));
    },
    encodeResult(id, result, extra) {
      return JSON.stringify(withExtra({ id, jsonrpc: '2.0', result: result === undefined ? null : result }, extra));
    },
    encodeError(id, error) {
      const body: JsonObject = { code: error.code, message: error.message };
      if (error.data !== undefined) body['data'] = error.data;
      return JSON.stringify({ id, jsonrpc: '2.0', result: null, error: body });
    },
  };
}
