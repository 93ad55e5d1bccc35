import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { RpcErrorBody } from '@lode/stratum-core';

/**
 * The Stratum v1 error codes the classic Ethereum dialects (EthereumStratum/1.0.0,
 * EthProxy, plain stratum) answer with. Stratum has no official table; these
 * are the de-facto codes of slush's stratum-mining that NiceHash, sammy007's
 * open-ethereum-pool and most pools reuse, and that ethminer prints as is
 * (facts/ethash.md §1.2, §1.6).
 *
 * | code | name           | when                                                          |
 * | ---- | -------------- | ------------------------------------------------------------- |
 * | 20   | OTHER          | malformed request, unknown method, bad nonce size, internal   |
 * | 21   | JOB_NOT_FOUND  | unknown or stale job                                          |
 * | 22   | DUPLICATE      | the same nonce was already submitted for the job              |
 * | 23   | LOW_DIFFICULTY | the hash does not meet the share target, or the mix is wrong  |
 * | 24   | UNAUTHORIZED   | submit for a worker not authorized, or a refused authorize    |
 * | 25   | NOT_SUBSCRIBED | request before mining.subscribe / login                       |
 */
export const ClassicErrorCodes = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE: 22,
  LOW_DIFFICULTY: 23,
  UNAUTHORIZED: 24,
  NOT_SUBSCRIBED: 25,
} as const;

/** One of the {@link ClassicErrorCodes} values. */
export type ClassicErrorCode = (typeof ClassicErrorCodes)[keyof typeof ClassicErrorCodes];

/** One row of the classic error table: a code and its standard message. */
export interface ClassicErrorEntry {
  readonly code: ClassicErrorCode;
  readonly message: string;
}

/** The standard messages Lode's classic sessions send besides share rejections. */
export const ClassicErrors = {
  /** a request the session could not serve because the pool's handler failed (details are logged, not sent) */
  INTERNAL: { code: ClassicErrorCodes.OTHER, message: 'Internal error' },
  /** wrong parameter count or types; the detail names the parameter */
  MALFORMED: { code: ClassicErrorCodes.OTHER, message: 'Malformed request' },
  /** a method the dialect does not serve; the detail names it */
  UNKNOWN_METHOD: { code: ClassicErrorCodes.OTHER, message: 'Unknown method' },
  UNAUTHORIZED: { code: ClassicErrorCodes.UNAUTHORIZED, message: 'Unauthorized worker' },
  NOT_SUBSCRIBED: { code: ClassicErrorCodes.NOT_SUBSCRIBED, message: 'Not subscribed' },
} as const satisfies Record<string, ClassicErrorEntry>;

const ENTRY_BY_REASON: Record<ShareRejectReason, ClassicErrorEntry> = {
  stale: { code: ClassicErrorCodes.JOB_NOT_FOUND, message: 'Job not found (stale)' },
  'unknown-job': { code: ClassicErrorCodes.JOB_NOT_FOUND, message: 'Job not found' },
  duplicate: { code: ClassicErrorCodes.DUPLICATE, message: 'Duplicate share' },
  'low-difficulty': { code: ClassicErrorCodes.LOW_DIFFICULTY, message: 'Low difficulty share' },
  'bad-seal': { code: ClassicErrorCodes.LOW_DIFFICULTY, message: 'Invalid share: mix digest does not match' },
  unauthorized: ClassicErrors.UNAUTHORIZED,
  'not-subscribed': ClassicErrors.NOT_SUBSCRIBED,
  malformed: ClassicErrors.MALFORMED,
  'bad-nonce': { code: ClassicErrorCodes.OTHER, message: 'Invalid nonce' },
  'bad-extranonce2': { code: ClassicErrorCodes.OTHER, message: 'Invalid extranonce' },
  'bad-ntime': { code: ClassicErrorCodes.OTHER, message: 'Invalid ntime' },
  'bad-version': { code: ClassicErrorCodes.OTHER, message: 'Invalid version' },
  'not-recorded': { code: ClassicErrorCodes.OTHER, message: 'Share not recorded, submit again' },
};

const FALLBACK: ClassicErrorEntry = { code: ClassicErrorCodes.OTHER, message: 'Rejected share' };

/**
 * The classic entry (code and standard message) for a share rejection reason
 * (@lode/mining SHARE_REJECT_REASONS): stale 21 "Job not found (stale)",
 * unknown-job 21 "Job not found", duplicate 22, low-difficulty 23 "Low
 * difficulty share", bad-seal 23 "Invalid share: mix digest does not match",
 * unauthorized 24, not-subscribed 25; malformed, bad-nonce, bad-extranonce2,
 * bad-ntime, bad-version and not-recorded 20. An unknown reason gives 20.
 */
export function classicRejectionEntry(reason: ShareRejectReason): ClassicErrorEntry {
  return ENTRY_BY_REASON[reason] ?? FALLBACK;
}

/** The Stratum error code for a share rejection reason (see {@link classicRejectionEntry}). */
export function classicRejectionCode(reason: ShareRejectReason): number {
  return classicRejectionEntry(reason).code;
}

/**
 * An error body from a table entry: its message, followed by `": <detail>"`
 * when a detail is given ("Malformed request: params[2] is not hex").
 * A session sends it as the Stratum triple `[code, message, null]`
 * (classicCodec's `respondError`).
 */
export function classicError(entry: ClassicErrorEntry, detail?: string): RpcErrorBody {
  return { code: entry.code, message: detail === undefined || detail === '' ? entry.message : `${entry.message}: ${detail}` };
}

/**
 * The error a rejected share is answered with: the table's code and message,
 * followed by the verdict's own message when it has one
 * (`[23, "Low difficulty share: share difficulty 0.4 is below 1", null]`).
 */
export function classicRejectionError(verdict: Extract<ShareVerdict, { accepted: false }>): RpcErrorBody {
  return classicError(classicRejectionEntry(verdict.reason), verdict.message);
}

/**
 * Whether a classic error reply blames the miner and counts toward the
 * session's `maxErrors`. A stale share (21 with the "(stale)" message) lost
 * a race with a new block and does not count; an internal failure or an
 * unrecorded share is the pool's fault and does not count either.
 */
export function classicCountsTowardMaxErrors(error: RpcErrorBody): boolean {
  if (error.message.startsWith(ClassicErrors.INTERNAL.message)) return false;
  if (error.message.startsWith(ENTRY_BY_REASON.stale.message)) return false;
  if (error.message.startsWith(ENTRY_BY_REASON['not-recorded'].message)) return false;
  return true;
}
