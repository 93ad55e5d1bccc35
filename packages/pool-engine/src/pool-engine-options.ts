import type { WorkerAuthorizer } from './sessions/worker-authorizer';

/** Tuning of a {@link PoolEngine}; every field has a default. */
export interface PoolEngineOptions {
  /** extranonce1 size, bytes, 1..8, instancePrefix included (default 4; a plugin with extranonceSizes overrides both sizes) */
  extranonce1Size?: number;
  /** extranonce2 size, bytes (default 4) */
  extranonce2Size?: number;
  /**
   * the first bytes of every extranonce1 this instance hands out (default
   * none); not with PoolEngineConfig.extranonceLeases, which give the prefix
   */
  instancePrefix?: Buffer;
  /**
   * length of the prefix taken from PoolEngineConfig.extranonceLeases at
   * start(), bytes, 1..extranonce1Size-1 (default 1: 256 instances, each with
   * 256^(extranonce1Size-1) values); ignored without leases
   */
  extranoncePrefixBytes?: number;
  /** ms between jobs refreshed from the current template (default 30000) */
  refreshIntervalMs?: number;
  /** jobs kept for share lookup, and per session ledger (default 32) */
  historySize?: number;
  /** how long a closed session's extranonce1 is kept for resume, seconds (default 600, like ckpool) */
  resumeWindowSeconds?: number;
  /** most extranonce1 values held for resume at once (default 100000); past it the oldest is released */
  maxResumeHolds?: number;
  /**
   * ms between runs of the engine's one maintenance timer: vardiff idle
   * checks, resume expiry and, with extranonce leases, claim refresh (claims
   * live resumeWindowSeconds + 2 intervals unless refreshed) (default 10000)
   */
  maintenanceIntervalMs?: number;
  /**
   * share keys kept per block height by the default MemoryDuplicateIndex
   * (default 1048576, about 100 MB at most per height); ignored when
   * PoolEngineConfig.duplicateIndex is given
   */
  duplicatesPerHeight?: number;
  /**
   * the accepted-stale window, in block heights (default 0: every stale
   * share is refused). A share on a job superseded by a new block whose
   * height is at most this many below the current height is validated in
   * full and, when good, accepted and credited with `stale: true` in its
   * verdict (EthereumStratum/2.0.0 answers it 202 "Stale"; ethash pools keep
   * 3 to 6 heights, facts/ethash.md §5.1, §7.3). Older ones stay 'stale'.
   */
  acceptStaleHeights?: number;
  /**
   * how log lines name a share that meets the job's network target and who
   * judges it (default `{ noun: 'block', judge: 'node' }`); a proxy, whose
   * "network target" is the upstream pool's share target, passes
   * `{ noun: 'upstream share', judge: 'upstream' }`
   */
  candidateWording?: { noun: string; judge: string };
  /** hashrate window of the stats, seconds (default 600) */
  statsWindowSeconds?: number;
  /** decides whether a worker may submit (default: any name of 1..128 characters) */
  authorizeWorker?: WorkerAuthorizer;
}
