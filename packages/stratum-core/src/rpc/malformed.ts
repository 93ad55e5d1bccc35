import type { LodeLogger } from '../logger';
import { StratumErrorCodes } from './stratum-error-codes';

/**
 * What kind of malformed message a dialect's server session saw. One
 * message is one kind, reported once:
 * - `overlong`: received bytes over the line cap (the transport closes after it)
 * - `not-json`: a line that is not JSON (JSON-RPC 2.0 §5.1 -32700)
 * - `not-request`: JSON that is not a valid request (-32600), a miner
 *   response to no request of ours excluded (it is dropped, not malformed)
 * - `unknown-method`: a request for a method the dialect does not know (-32601)
 * - `bad-params`: a known method with the wrong parameter count or types (-32602)
 * - `notification`: an id-less message the dialect does not accept from a
 *   miner (it cannot be answered; the dialect decides which ones count, e.g.
 *   Bitcoin's `mining.suggest_difficulty` notification is accepted)
 *
 * Share rejections (low difficulty, stale, duplicate, bad ntime...) are
 * never malformed messages, whatever error code the dialect answers them with.
 */
export type MalformedKind = 'overlong' | 'not-json' | 'not-request' | 'unknown-method' | 'bad-params' | 'notification';

/**
 * One malformed message from the miner, as a dialect's server session
 * reports it to its handler's `malformed` callback, synchronously, once per
 * message, whether or not the dialect answers it (an id-less line gets no
 * reply). For the pool's ban list ("malformed messages per minute") and logs.
 */
export interface MalformedMessage {
  kind: MalformedKind;
  /** the method named, when the message named one (truncated to 64 characters) */
  method?: string;
  /** the reason the dialect gives (the error reply's message when there is one) */
  reason: string;
}

/** Longest method name a {@link MalformedMessage} carries, in characters. */
export const MAX_MALFORMED_METHOD_CHARS = 64;

/** A dialect handler that may take malformed-message reports (every dialect's server handler). */
export interface MalformedSink {
  malformed?(message: MalformedMessage): void;
}

/**
 * Calls `sink.malformed` once with `{ kind, method, reason }`, `method` cut
 * to {@link MAX_MALFORMED_METHOD_CHARS} characters and left out when
 * undefined. Does nothing (builds nothing) when the sink has no `malformed`.
 * A throw from it is logged at error with `err` and ignored, as the sessions
 * do for `handler.closed`: a pool's observer never breaks a session.
 */
export function reportMalformed(sink: MalformedSink, logger: LodeLogger, kind: MalformedKind, reason: string, method?: string): void {
  if (sink.malformed === undefined) return;
  const message: MalformedMessage =
    method === undefined
      ? { kind, reason }
      : { kind, method: method.length > MAX_MALFORMED_METHOD_CHARS ? method.slice(0, MAX_MALFORMED_METHOD_CHARS) : method, reason };
  try {
    sink.malformed(message);
  } catch (err) {
    logger.error({ err, kind }, 'malformed handler threw');
  }
}

/**
 * The malformed kind a JSON-RPC 2.0 error code stands for (§5.1: -32700
 * `not-json`, -32600 `not-request`, -32601 `unknown-method`, -32602
 * `bad-params`); undefined for every other code (share rejections, internal
 * errors). For dialects whose malformed replies use only these codes
 * (Stratum v1 in Lode, Warthog stratum).
 */
export function jsonRpcMalformedKind(code: number): MalformedKind | undefined {
  switch (code) {
    case StratumErrorCodes.PARSE_ERROR:
      return 'not-json';
    case StratumErrorCodes.INVALID_REQUEST:
      return 'not-request';
    case StratumErrorCodes.METHOD_NOT_FOUND:
      return 'unknown-method';
    case StratumErrorCodes.INVALID_PARAMS:
      return 'bad-params';
    default:
      return undefined;
  }
}

/**
 * Reports a request's error reply to `sink.malformed` when its code is one
 * of JSON-RPC 2.0 §5.1's malformed codes ({@link jsonRpcMalformedKind}),
 * with the request's `method` and the reply's message as reason; any other
 * code (a share rejection, an internal error) reports nothing. For the
 * dialects whose malformed replies use only those codes (Stratum v1 in
 * Lode, Warthog stratum).
 */
export function reportJsonRpcErrorReply(sink: MalformedSink, logger: LodeLogger, method: string, error: { code: number; message: string }): void {
  if (sink.malformed === undefined) return;
  const kind = jsonRpcMalformedKind(error.code);
  if (kind !== undefined) reportMalformed(sink, logger, kind, error.message, method);
}

/**
 * What a line the codec could not decode was, read from its text:
 * - `not-json`: not JSON as received (JSON-RPC 2.0 §5.1 -32700);
 * - `response`: an object with `result` or `error` and no `method`, i.e. a
 *   peer's late or broken answer to one of our requests (a server session
 *   drops it: a reply would put the miner's id space on the wire);
 * - `not-request`: any other JSON (-32600), with the `method` it named
 *   when that member is a string (uncut).
 */
export interface InvalidLineShape {
  kind: 'not-json' | 'response' | 'not-request';
  method?: string;
}

// Shared, frozen: most invalid lines name no method.
const NOT_JSON: Readonly<InvalidLineShape> = Object.freeze({ kind: 'not-json' });
const RESPONSE: Readonly<InvalidLineShape> = Object.freeze({ kind: 'response' });
const NOT_REQUEST: Readonly<InvalidLineShape> = Object.freeze({ kind: 'not-request' });

/**
 * Reads what an undecodable line was (see {@link InvalidLineShape}). Parses
 * the line once: call it on the error path only. Never throws.
 *
 * @param line the received line, without its terminator
 */
export function invalidLineShape(line: string): Readonly<InvalidLineShape> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return NOT_JSON;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return NOT_REQUEST;
  if (!('method' in parsed)) return 'result' in parsed || 'error' in parsed ? RESPONSE : NOT_REQUEST;
  const { method } = parsed;
  return typeof method === 'string' ? { kind: 'not-request', method } : NOT_REQUEST;
}
