import type { StatsSnapshot } from '@lode/pool-engine';

/**
 * What the read API needs from the accounting (store-redis ShareAccountant
 * fits it as is). Every value returned must be JSON-serializable; amounts of
 * coin are decimal strings (a bigint would not survive JSON; the API turns a
 * stray bigint into a string anyway).
 */
export interface AccountingReader {
  /** coin ids it accounts for ("btc"); other coins are not asked */
  readonly coins: readonly string[];
  /** pool and per-worker figures of one coin */
  stats(coin: string): Promise<object>;
  /** the last `limit` blocks of one coin, newest first */
  blocks(coin: string, limit: number): Promise<readonly object[]>;
  /** one worker's figures, undefined when the worker was never seen */
  worker(coin: string, name: string): Promise<object | undefined>;
}

/**
 * What the read API needs from an in-memory engine when no accounting runs
 * for its coin (pool-engine's PoolEngine fits it): its share statistics.
 */
export interface EngineStatsReader {
  readonly stats: { snapshot(): StatsSnapshot };
}
