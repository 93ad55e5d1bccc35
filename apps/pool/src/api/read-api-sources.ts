import type { FoundBlock, StatsSnapshot } from '@lode/pool-engine';
import type { Observable } from 'rxjs';

/**
 * One worker as the accounting reports it (store-redis WorkerAccount fits).
 * Hashrate is H/s, times are ms since epoch.
 */
export interface AccountedWorker {
  /** worker name as authorized ("addr.rig1") */
  worker: string;
  /** estimated hashrate over the accounting window, H/s */
  hashrate: number;
  /** accepted shares */
  accepted: number;
  /** rejected shares by reason ("stale", "duplicate", "low-difficulty", ...) */
  rejected: Record<string, number>;
  /** all rejected shares */
  rejectedTotal: number;
  /** time of its last share, accepted or not, ms since epoch */
  lastShare: number;
}

/**
 * Pool and per-worker figures of one coin as the accounting reports them
 * (store-redis AccountingStats fits; its other fields pass through
 * /api/stats untouched).
 */
export interface AccountedStats {
  /** when it was read, ms since epoch */
  time: number;
  /** length of the hashrate window, seconds */
  windowSeconds: number;
  pool: {
    /** estimated pool hashrate over the window, H/s */
    hashrate: number;
  };
  /** every worker kept */
  workers: readonly AccountedWorker[];
}

/**
 * A block the accounting recorded (store-redis BlockAccount fits). Amounts
 * are decimal strings in the coin's smallest unit; time is ms since epoch.
 */
export interface AccountedBlock {
  height: number;
  /** display hex of the block hash */
  hash: string;
  /** worker whose share was the block ('' when none) */
  finder: string;
  /** when the share was judged, ms since epoch */
  time: number;
  /** the reward split, smallest units */
  reward: string;
  /** worker -> amount (smallest units, decimal string); empty until split */
  split: Record<string, string>;
}

/**
 * What the read API needs from the accounting (store-redis ShareAccountant
 * fits it as is). Every value returned must be JSON-serializable; amounts of
 * coin are decimal strings (a bigint would not survive JSON; the API turns a
 * stray bigint into a string anyway).
 */
export interface AccountingReader {
  /** coin ids it accounts for ("btc"); other coins are not asked */
  readonly coins: readonly string[];
  /**
   * pool and per-worker figures of one coin
   * @throws LodeError('store') when its store fails (the API answers 503)
   */
  stats(coin: string): Promise<AccountedStats>;
  /** the last `limit` blocks of one coin, newest first */
  blocks(coin: string, limit: number): Promise<readonly AccountedBlock[]>;
  /** one worker's figures, undefined when the worker was never seen */
  worker(coin: string, name: string): Promise<AccountedWorker | undefined>;
}

/**
 * What the read API needs from an in-memory engine (pool-engine's PoolEngine
 * fits it): its share statistics, for coins no accounting covers and for
 * this instance's hashrate history; and the blocks it finds, kept in memory
 * for coins no accounting covers (absent: /api/blocks answers 404 for them).
 */
export interface EngineStatsReader {
  readonly stats: { snapshot(): StatsSnapshot };
  /** every block candidate with the node's answer; completes when the engine stops */
  readonly blocks$?: Observable<FoundBlock>;
}
