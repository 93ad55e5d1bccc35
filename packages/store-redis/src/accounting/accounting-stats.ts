import type { WorkerAccount } from './worker-account';

/**
 * The whole pool's figures for one coin ({@link ShareAccountant.stats}).
 * Difficulties are credited stratum difficulties, hashrate is H/s, times are
 * ms since epoch.
 */
export interface PoolAccount {
  /** estimated hashrate over the window, H/s */
  hashrate: number;
  /** accepted shares */
  accepted: number;
  /** credited difficulty of the accepted shares (sum) */
  creditedDifficulty: number;
  /** rejected shares by reason */
  rejected: Record<string, number>;
  /** all rejected shares */
  rejectedTotal: number;
  /** time of the last share, null before any */
  lastShare: number | null;
  /** blocks found */
  blocks: number;
  /** the current round: worker -> credited difficulty since the last block */
  round: Record<string, number>;
  /** number of the current round (blocks found + 1) */
  roundNumber: number;
  /** credited difficulty of the current round (sum of `round`) */
  roundDifficulty: number;
  /** when the current round began (the last block, or the first share), null before any share */
  roundStartedAt: number | null;
}

/** Pool and per-worker figures of one coin, as read at `time`. */
export interface AccountingStats {
  /** coin id */
  coin: string;
  /** when it was read, ms since epoch */
  time: number;
  /** length of the hashrate window, seconds */
  windowSeconds: number;
  /** pool totals */
  pool: PoolAccount;
  /** every worker kept (at most maxWorkers), most recently active first */
  workers: WorkerAccount[];
}
