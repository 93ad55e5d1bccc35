import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { RpcErrorBody } from '@lode/stratum-core';

/**
 * The Stratum v1 share error codes, as cgminer, ckpool and NOMP use them
 * (slush's original mining protocol text; NOMP lib/stratum.js). They travel as
 * the first item of the `[code, message, data]` error array.
 *
 * | code | name             | used for                                                  |
 * | ---- | ---------------- | --------------------------------------------------------- |
 * | 20   | OTHER            | unknown job id, bad ntime/nonce/extranonce2/version, malformed, not recorded (store unavailable), handler failure |
 * | 21   | JOB_NOT_FOUND    | stale: the job existed but is no longer accepted ("Job not found") |
 * | 22   | DUPLICATE        | duplicate share (version bits included in the key)        |
 * | 23   | LOW_DIFFICULTY   | share above its job's target                              |
 * | 24   | UNAUTHORIZED     | worker not authorized on this connection, authorize refused |
 * | 25   | NOT_SUBSCRIBED   | submit before mining.subscribe                            |
 *
 * An unknown job id gets 20, not 21: DESIGN "Rules learned from the field"
 * requires stale and the other refusals to be told apart, and a job id the
 * pool never issued is not a stale share (a miner that sees 21 just waits for
 * the next job, while an id never issued points at a bug or a wrong pool).
 */
export const BitcoinErrorCodes = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE: 22,
  LOW_DIFFICULTY: 23,
  UNAUTHORIZED: 24,
  NOT_SUBSCRIBED: 25,
} as const;

/** The rejected half of a ShareVerdict. */
export type ShareRejection = Extract<ShareVerdict, { accepted: false }>;

const CODE_BY_REASON: Record<ShareRejectReason, number> = {
  'unknown-job': BitcoinErrorCodes.OTHER,
  stale: BitcoinErrorCodes.JOB_NOT_FOUND,
  duplicate: BitcoinErrorCodes.DUPLICATE,
  'low-difficulty': BitcoinErrorCodes.LOW_DIFFICULTY,
  'bad-ntime': BitcoinErrorCodes.OTHER,
  'bad-extranonce2': BitcoinErrorCodes.OTHER,
  'bad-nonce': BitcoinErrorCodes.OTHER,
  'bad-version': BitcoinErrorCodes.OTHER,
  unauthorized: BitcoinErrorCodes.UNAUTHORIZED,
  'not-subscribed': BitcoinErrorCodes.NOT_SUBSCRIBED,
  malformed: BitcoinErrorCodes.OTHER,
  'not-recorded': BitcoinErrorCodes.OTHER,
  'bad-seal': BitcoinErrorCodes.OTHER,
};

/** What a reply says when the verdict carries no message of its own. */
const DEFAULT_MESSAGE: Record<ShareRejectReason, string> = {
  'unknown-job': 'unknown job id',
  stale: 'Job not found (stale)',
  duplicate: 'Duplicate share',
  'low-difficulty': 'Low difficulty share',
  'bad-ntime': 'ntime out of range',
  'bad-extranonce2': 'bad extranonce2',
  'bad-nonce': 'bad nonce',
  'bad-version': 'version bits outside the negotiated mask',
  unauthorized: 'Unauthorized worker',
  'not-subscribed': 'Not subscribed',
  malformed: 'malformed share',
  'not-recorded': 'the share could not be recorded (store unavailable); submit it again',
  'bad-seal': 'mix digest does not match',
};

/**
 * The Stratum v1 error code for a share rejection reason (table on
 * {@link BitcoinErrorCodes}); 20 for a reason this table does not know.
 */
export function rejectionCode(reason: ShareRejectReason): number {
  return CODE_BY_REASON[reason] ?? BitcoinErrorCodes.OTHER;
}

/**
 * The error body a rejected share is answered with: the code from the table
 * on {@link BitcoinErrorCodes} and the verdict's own message (which names the
 * value and the rule, e.g. "unknown job id 'a1'"), or a standard text when
 * it has none. No `data`: the classic codec writes null, as every pool does.
 *
 * Protocol errors (bad JSON, unknown method, wrong params) use
 * `StratumErrorCodes` from @lode/stratum-core instead: -32700, -32600,
 * -32601, -32602.
 */
export function rejectionToError(verdict: ShareRejection): RpcErrorBody {
  const message = verdict.message.length > 0 ? verdict.message : (DEFAULT_MESSAGE[verdict.reason] ?? 'share rejected');
  return { code: rejectionCode(verdict.reason), message };
}
