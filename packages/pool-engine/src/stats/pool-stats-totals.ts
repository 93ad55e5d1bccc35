import type { ShareRejectReason } from '@lode/mining';

/**
 * The whole pool's figures in a {@link StatsSnapshot} (all workers, those
 * evicted from the per-worker table included).
 */
export interface PoolStatsTotals {
  /** accepted shares since the engine started */
  accepted: number;
  /** sum of credited difficulty of accepted shares */
  creditedDifficulty: number;
  /** rejected shares by reason */
  rejected: Partial<Record<ShareRejectReason, number>>;
  /** all rejected shares */
  rejectedTotal: number;
  /** estimated hashrate over the window, H/s */
  hashrate: number;
  /** workers in the per-worker table */
  workers: number;
}
