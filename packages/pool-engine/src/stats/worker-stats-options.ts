/** Options of {@link WorkerStats}. */
export interface WorkerStatsOptions {
  /** the coin's difficulty-1 target (CoinPlugin.diff1Target) */
  diff1Target: bigint;
  /** hashrate window, seconds (default 600) */
  windowSeconds?: number;
  /** hashrate bucket width, seconds (default 10); windowSeconds is rounded up to a multiple */
  bucketSeconds?: number;
  /** workers kept, integer >= 1 (default 100000); the least recently active is dropped first */
  maxWorkers?: number;
}
