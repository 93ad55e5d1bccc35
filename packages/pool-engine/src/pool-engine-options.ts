import type { WorkerAuthorizer } from './sessions/worker-authorizer';

/** Tuning of a {@link PoolEngine}; every field has a default. */
export interface PoolEngineOptions {
  /** extranonce1 size, bytes, 1..8, instancePrefix included (default 4) */
  extranonce1Size?: number;
  /** extranonce2 size, bytes (default 4) */
  extranonce2Size?: number;
  /**
   * the first bytes of every extranonce1 this instance hands out, unique per
   * instance when several share one Redis (default none)
   */
  instancePrefix?: Buffer;
  /** ms between jobs refreshed from the current template (default 30000) */
  refreshIntervalMs?: number;
  /** jobs kept for share lookup, and per session ledger (default 32) */
  historySize?: number;
  /** how long a closed session's extranonce1 is kept for resume, seconds (default 600, like ckpool) */
  resumeWindowSeconds?: number;
  /** most extranonce1 values held for resume at once (default 100000); past it the oldest is released */
  maxResumeHolds?: number;
  /** ms between runs of the engine's one maintenance timer: vardiff idle checks and resume expiry (default 10000) */
  maintenanceIntervalMs?: number;
  /** share keys kept per job for duplicate detection (default 65536) */
  duplicatesPerJob?: number;
  /** hashrate window of the stats, seconds (default 600) */
  statsWindowSeconds?: number;
  /** decides whether a worker may submit (default: any name of 1..128 characters) */
  authorizeWorker?: WorkerAuthorizer;
}
