import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { RpcErrorBody } from '@lode/stratum-core';

/**
 * The Warthog stratum share error codes. They travel as `[code, message, null]`
 * with `"result": null` (specs/004_8dfd75be62003ef5.txt "Error reporting").
 * The numbering is Stratum v1's, as Miningcore uses it for Warthog
 * (facts/warthog.md §7 "responses").
 *
 * | code | name             | used for                                                  |
 * | ---- | ---------------- | --------------------------------------------------------- |
 * | 20   | OTHER            | unknown job id, bad extranonce2 / ntime / nonce (the message says which), malformed, not recorded, handler failure |
 * | 21   | JOB_NOT_FOUND    | stale: the job existed but is no longer accepted           |
 * | 22   | DUPLICATE        | duplicate share                                           |
 * | 23   | LOW_DIFFICULTY   | share above its job's target ("low difficulty share")      |
 * | 24   | UNAUTHORIZED     | worker not authorized on this connection, authorize refused |
 * | 25   | NOT_SUBSCRIBED   | submit before mining.subscribe                            |
 *
 * As in dialect-bitcoin, an unknown job id gets 20 and a stale one 21: stale
 * and the other refusals must be told apart (DESIGN "Rules learned from the
 * field"), and a job id the pool never issued is not a stale share.
 *
 * Framing and protocol errors use `StratumErrorCodes` from @lode/stratum-core:
 * -32700 (not JSON), -32600 (not a request, overlong line, second subscribe),
 * -32601 (unknown method), -32602 (wrong params).
 */
export const WarthogErrorCodes = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE: 22,
  LOW_DIFFICULTY: 23,
  UNAUTHORIZED: 24,
  NOT_SUBSCRIBED: 25,
} as const;

/** The rejected half of a ShareVerdict. */
export type WarthogShareRejection = Extract<ShareVerdict, { accepted: false }>;

const CODE_BY_REASON: Record<ShareRejectReason, number> = {
  'unknown-job': WarthogErrorCodes.OTHER,
  stale: WarthogErrorCodes.JOB_NOT_FOUND,
  duplicate: WarthogErrorCodes.DUPLICATE,
  'low-difficulty': WarthogErrorCodes.LOW_DIFFICULTY,
  'bad-ntime': WarthogErrorCodes.OTHER,
  'bad-extranonce2': WarthogErrorCodes.OTHER,
  'bad-nonce': WarthogErrorCodes.OTHER,
  'bad-version': WarthogErrorCodes.OTHER,
  unauthorized: WarthogErrorCodes.UNAUTHORIZED,
  'not-subscribed': WarthogErrorCodes.NOT_SUBSCRIBED,
  malformed: WarthogErrorCodes.OTHER,
  'not-recorded': WarthogErrorCodes.OTHER,
  'bad-seal': WarthogErrorCodes.OTHER,
};

/** What a reply says when the verdict carries no message of its own. */
const DEFAULT_MESSAGE: Record<ShareRejectReason, string> = {
  'unknown-job': 'unknown job id',
  stale: 'job not found (stale)',
  duplicate: 'duplicate share',
  // facts/warthog.md §6-H: `[23,"low difficulty share",null]`
  'low-difficulty': 'low difficulty share',
  'bad-ntime': 'bad ntime',
  'bad-extranonce2': 'bad extranonce2',
  'bad-nonce': 'bad nonce',
  'bad-version': 'bad version',
  unauthorized: 'unauthorized worker',
  'not-subscribed': 'not subscribed',
  malformed: 'malformed share',
  'not-recorded': 'the share could not be recorded (store unavailable); submit it again',
  'bad-seal': 'bad seal',
};

/**
 * The Warthog error code for a share rejection reason (table on
 * {@link WarthogErrorCodes}); 20 for a reason this table does not know.
 */
export function rejectionCode(reason: ShareRejectReason): number {
  return CODE_BY_REASON[reason] ?? WarthogErrorCodes.OTHER;
}

/**
 * The error body a rejected share is answered with: the code from the table
 * on {@link WarthogErrorCodes} and the verdict's own message (which names the
 * value and the rule), or the table's standard text when it has none
 * (23 -> "low difficulty share", as in facts/warthog.md §6-H). The classic
 * codec writes it as `[code, message, null]` with `"result": null`.
 */
export function rejectionToError(verdict: WarthogShareRejection): RpcErrorBody {
  const message = verdict.message.length > 0 ? verdict.message : (DEFAULT_MESSAGE[verdict.reason] ?? 'share rejected');
  return { code: rejectionCode(verdict.reason), message };
}
