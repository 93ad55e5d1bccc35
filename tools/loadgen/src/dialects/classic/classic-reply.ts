import { StratumErrorCodes } from '@lode/stratum-core';
import type { PoolReply, RejectReason } from '../dialect-driver';

/**
 * Reads a Stratum v1 style reply: `{"id", "result", "error"}` where `error`
 * is null or `[code, message, data]` (slush's protocol; also the object form
 * `{code, message}` some pools send). Ok means no error and a result that is
 * neither false nor null.
 */
export function readClassicReply(message: Record<string, unknown>, at: number): PoolReply {
  const result = message['result'];
  const error = message['error'];
  if (error === null || error === undefined) {
    const ok = result !== false && result !== null && result !== undefined;
    return ok ? { at, ok, result } : { at, ok, result, message: `result ${JSON.stringify(result ?? null)}` };
  }
  if (Array.isArray(error)) {
    const code = Number(error[0]);
    return { at, ok: false, result, ...(Number.isFinite(code) ? { code } : {}), message: String(error[1] ?? '') };
  }
  if (typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const code = Number(e['code']);
    return { at, ok: false, result, ...(Number.isFinite(code) ? { code } : {}), message: String(e['message'] ?? '') };
  }
  return { at, ok: false, result, message: String(error) };
}

/** The reason a refusal's message names, when its code does not say (code 20 "other", pools without codes). */
export function reasonFromMessage(message: string): RejectReason {
  if (/stale/i.test(message)) return 'stale';
  if (/duplicate/i.test(message)) return 'duplicate';
  if (/low[- ]?diff/i.test(message)) return 'low-difficulty';
  if (/job/i.test(message) && /unknown|not found|not one of/i.test(message)) return 'unknown-job';
  if (/unauthori[sz]ed/i.test(message)) return 'unauthorized';
  if (/not subscribed/i.test(message)) return 'not-subscribed';
  return 'other';
}

/**
 * The reason of a Stratum v1 (and Warthog stratum) refusal: codes 21 stale
 * ("Job not found"), 22 duplicate, 23 low difficulty, 24 unauthorized, 25
 * not subscribed (cgminer / NOMP / Miningcore numbering, Lode
 * dialect-bitcoin BitcoinErrorCodes and dialect-warthog WarthogErrorCodes);
 * the JSON-RPC codes -32700..-32600 (StratumErrorCodes) are a bad request;
 * code 20 ("other", which Lode also uses for an unknown job id) and
 * anything else is read from the message.
 */
export function classicReason(reply: PoolReply): RejectReason {
  switch (reply.code) {
    case 21:
      return 'stale';
    case 22:
      return 'duplicate';
    case 23:
      return 'low-difficulty';
    case 24:
      return 'unauthorized';
    case 25:
      return 'not-subscribed';
    case StratumErrorCodes.PARSE_ERROR:
    case StratumErrorCodes.INVALID_REQUEST:
    case StratumErrorCodes.METHOD_NOT_FOUND:
    case StratumErrorCodes.INVALID_PARAMS:
      return 'bad-request';
    default:
      return reasonFromMessage(reply.message ?? '');
  }
}
