/**
 * One worker's figures in the accounting ({@link ShareAccountant.worker},
 * {@link AccountingStats}). Difficulties are stratum difficulties (credited),
 * hashrate is hashes per second, times are ms since epoch.
 */
export interface WorkerAccount {
  /** worker name as authorized */
  worker: string;
  /** estimated hashrate over the window, H/s: credited difficulty in the window * hashesPerDifficulty / window seconds */
  hashrate: number;
  /** accepted shares since the accounting began */
  accepted: number;
  /** credited difficulty of the accepted shares (sum) */
  creditedDifficulty: number;
  /** rejected shares by reason (reasons never seen are absent) */
  rejected: Record<string, number>;
  /** all rejected shares */
  rejectedTotal: number;
  /** time of its last share, accepted or not */
  lastShare: number;
  /** credited difficulty in the current round */
  roundDifficulty: number;
}
