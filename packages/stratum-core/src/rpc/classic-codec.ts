import type { RpcCodec, RpcErrorBody, RpcId, RpcMessage } from './messages';

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

function decode(line: string): RpcMessage {
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
    return id === null
      ? { type: 'notification', method, params }
      : { type: 'request', id, method, params };
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
 *   otherwise (field-notes.md §1.1, Miningcore #1709).
 */
export const classicCodec: RpcCodec = {
  name: 'stratum-v1',
  decode,
  encodeRequest(id, method, params) {
    return JSON.stringify({ id, method, params });
  },
  encodeNotification(method, params) {
    return JSON.stringify({ id: null, method, params });
  },
  encodeResult(id, result) {
    return JSON.stringify({ id, result: result === undefined ? null : result, error: null });
  },
  encodeError(id, error) {
    return JSON.stringify({ id, result: null, error: [error.code, error.message, error.data ?? null] });
  },
};
