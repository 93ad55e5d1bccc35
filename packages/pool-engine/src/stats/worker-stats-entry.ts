import type { ShareRejectReason } from '@lode/mining';
import type { MinerInfo } from '../sessions/miner-info';

/**
 * One worker's figures in a {@link StatsSnapshot}. Difficulties are stratum
 * difficulties, hashrate is hashes per second, times are ms since epoch.
 */
export interface WorkerStatsEntry {
  /** worker name as authorized */
  worker: string;
  /** accepted shares since the engine started */
  accepted: number;
  /** sum of the credited difficulty of the accepted shares */
  creditedDifficulty: number;
  /** rejected shares by reason (reasons never seen are absent) */
  rejected: Partial<Record<ShareRejectReason, number>>;
  /** all rejected shares */
  rejectedTotal: number;
  /** time of the last share, accepted or not */
  lastShareTime: number;
  /** estimated hashrate over the window, H/s */
  hashrate: number;
  /**
   * what the last session that authorized this worker with BIP 310 `info`
   * told about the device (absent when none did)
   */
  info?: MinerInfo;
}
