import type { LodeLogger } from '@lode/stratum-core';

/** Options of {@link JobManager}. */
export interface JobManagerOptions {
  /** extranonce1 size in bytes, as handed to sessions at subscribe (JobContext) */
  extranonce1Size: number;
  /** extranonce2 size in bytes, as told to miners at subscribe (JobContext) */
  extranonce2Size: number;
  /**
   * ms between jobs rebuilt from the current template when no new template
   * comes, so ntime and transactions stay fresh (default 30000, ckpool's
   * update_interval, field-notes §1.2). The timer restarts with every job.
   * It does not run for templates that carry a bus `jobId` (the bus leader
   * republishes them).
   */
  refreshIntervalMs?: number;
  /** jobs kept for share lookup, integer >= 1 (default 32) */
  historySize?: number;
  /**
   * called after each job was published to every jobs$ subscriber (the
   * sessions, which write it to their sockets synchronously), with the
   * seconds from template in hand to the last subscriber's return
   */
  onPublished?: (seconds: number, clean: boolean) => void;
  /** logger (default silent) */
  logger?: LodeLogger;
}
