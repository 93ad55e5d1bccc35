import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { RpcErrorBody } from '@lode/stratum-core';

/** One row of the EIP-1571 error table: the code and its standard message. */
export interface EthErrorEntry {
  readonly code: number;
  readonly message: string;
}

/**
 * The EthereumStratum/2.0.0 error replies Lode sends, `{"id":n,"error":{"code":..,"message":..}}`.
 *
 * The spec fixes the ranges (2xx accepted with a hint, 3xx not authorized,
 * 4xx bad request, 5xx server fault) and gives 202 "Stale", 215, 220, 400,
 * 403, 404 and 406 as examples; the rest are Lode's choices inside those ranges.
 *
 * | code | message                                | when                                                        |
 * | ---- | -------------------------------------- | ----------------------------------------------------------- |
 * | 202  | Stale                                  | share accepted and credited, but stale (spec example 2)     |
 * | 220  | Enhance your calm. Too many requests   | `mining.hashrate` more often than the port allows (spec)    |
 * | 301  | Unknown worker token                   | submit/hashrate with a token not issued in this session     |
 * | 302  | Not subscribed                         | authorize, submit or hashrate before `mining.subscribe`     |
 * | 303  | Worker not authorized                  | the pool refused `mining.authorize`                         |
 * | 400  | Bad request                            | malformed line, codec violation, wrong params (the message names the parameter), request before hello |
 * | 400  | Bad protocol request                   | `mining.hello` asking for another proto (spec); the connection closes |
 * | 404  | Job not found                          | unknown job id (spec example)                               |
 * | 405  | Method not found                       | a method this dialect does not serve                        |
 * | 406  | Bad nonce                              | the hash does not meet the share target (spec example 1)    |
 * | 409  | Duplicate share                        | the same nonce was already submitted for the job            |
 * | 410  | Stale share                            | the job was superseded and the share is not credited        |
 * | 414  | Bad nonce size                         | miner nonce not hex of exactly 8 - extranonce bytes         |
 * | 500  | Internal error                         | the pool's handler failed (details are logged, not sent)    |
 * | 503  | Share not recorded, submit again       | share good but its record could not be written              |
 *
 * Stale (410) and duplicate (409) keep distinct codes (DESIGN "Rules learned
 * from the field"); a stale share still credited is 202. ethminer counts
 * every 2xx code as accepted-stale (facts/ethash.md §1.3).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Responses", "Session Handling - Hello", "Hashrate", "Solution submission"
 */
export const EthStratumErrors = {
  STALE_ACCEPTED: { code: 202, message: 'Stale' },
  TOO_MANY_REQUESTS: { code: 220, message: 'Enhance your calm. Too many requests' },
  UNKNOWN_WORKER: { code: 301, message: 'Unknown worker token' },
  NOT_SUBSCRIBED: { code: 302, message: 'Not subscribed' },
  NOT_AUTHORIZED: { code: 303, message: 'Worker not authorized' },
  BAD_REQUEST: { code: 400, message: 'Bad request' },
  BAD_PROTOCOL: { code: 400, message: 'Bad protocol request' },
  JOB_NOT_FOUND: { code: 404, message: 'Job not found' },
  METHOD_NOT_FOUND: { code: 405, message: 'Method not found' },
  BAD_NONCE: { code: 406, message: 'Bad nonce' },
  DUPLICATE_SHARE: { code: 409, message: 'Duplicate share' },
  STALE_SHARE: { code: 410, message: 'Stale share' },
  BAD_NONCE_SIZE: { code: 414, message: 'Bad nonce size' },
  INTERNAL: { code: 500, message: 'Internal error' },
  NOT_RECORDED: { code: 503, message: 'Share not recorded, submit again' },
} as const satisfies Record<string, EthErrorEntry>;

/**
 * An error body from a table entry: its message, followed by `": <detail>"`
 * when a detail names the value and the rule ("Bad nonce size: miner nonce
 * is 5 bytes, expected 6").
 */
export function ethError(entry: EthErrorEntry, detail?: string): RpcErrorBody {
  return { code: entry.code, message: detail === undefined || detail === '' ? entry.message : `${entry.message}: ${detail}` };
}

/**
 * Whether an error reply counts toward the session's `maxerrors`: only
 * faults of the miner do. 202 (a credited stale share) is not an error,
 * 410 (a share that lost the race with a new block) is not the miner's
 * fault, nor are 5xx (the pool's own). Every other 2xx-4xx reply counts
 * (220 included: a miner that ignores the rate limit is misbehaving).
 */
export function countsTowardMaxErrors(code: number): boolean {
  if (code === EthStratumErrors.STALE_ACCEPTED.code || code === EthStratumErrors.STALE_SHARE.code) return false;
  return code < 500;
}

/** The rejected half of a ShareVerdict. */
export type EthShareRejection = Extract<ShareVerdict, { accepted: false }>;

const ENTRY_BY_REASON: Record<ShareRejectReason, EthErrorEntry> = {
  'unknown-job': EthStratumErrors.JOB_NOT_FOUND,
  stale: EthStratumErrors.STALE_SHARE,
  duplicate: EthStratumErrors.DUPLICATE_SHARE,
  'low-difficulty': EthStratumErrors.BAD_NONCE,
  'bad-ntime': EthStratumErrors.BAD_REQUEST,
  'bad-extranonce2': EthStratumErrors.BAD_NONCE_SIZE,
  'bad-nonce': EthStratumErrors.BAD_NONCE_SIZE,
  'bad-version': EthStratumErrors.BAD_REQUEST,
  unauthorized: EthStratumErrors.UNKNOWN_WORKER,
  'not-subscribed': EthStratumErrors.NOT_SUBSCRIBED,
  malformed: EthStratumErrors.BAD_REQUEST,
  'not-recorded': EthStratumErrors.NOT_RECORDED,
  'bad-seal': EthStratumErrors.BAD_NONCE,
};

/**
 * The table entry for a share rejection reason (@lode/mining
 * SHARE_REJECT_REASONS): unknown-job 404, stale 410, duplicate 409,
 * low-difficulty 406, bad-extranonce2 and bad-nonce 414, unauthorized 301,
 * not-subscribed 302, not-recorded 503, bad-seal 406; bad-ntime, bad-version and
 * malformed (which EIP-1571 shares cannot carry) 400. An unknown reason gives 400.
 */
export function rejectionEntry(reason: ShareRejectReason): EthErrorEntry {
  return ENTRY_BY_REASON[reason] ?? EthStratumErrors.BAD_REQUEST;
}

/**
 * The error a rejected share is answered with: the table's code and message,
 * followed by the verdict's own message when it has one
 * (`{"code":406,"message":"Bad nonce: share difficulty 0.4 is below 1"}`).
 */
export function rejectionToError(verdict: EthShareRejection): RpcErrorBody {
  return ethError(rejectionEntry(verdict.reason), verdict.message);
}
