import type { PoolStatsTotals } from './pool-stats-totals';
import type { WorkerStatsEntry } from './worker-stats-entry';

/** A copy of the share statistics at one moment ({@link WorkerStats.snapshot}). */
export interface StatsSnapshot {
  /** when the snapshot was taken, ms since epoch */
  time: number;
  /** length of the hashrate window, seconds */
  windowSeconds: number;
  /** pool totals */
  pool: PoolStatsTotals;
  /** per worker, most recently active last */
  workers: WorkerStatsEntry[];
}
