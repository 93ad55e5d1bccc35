import type { LodeLogger } from '@lode/stratum-core';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys/redis-keys';

/**
 * Options of {@link RedisShareStore}.
 *
 * The client is the caller's: the store defines one script on it and
 * listens to its `ready` and `close` events, and never closes it. Create it
 * with `enableAutoPipelining: true` so that concurrent records travel in one
 * write per event-loop turn.
 */
export interface RedisShareStoreOptions {
  /** the ioredis client (standalone; RESP2 or RESP3 both work: the script returns integers) */
  redis: Redis;
  /** the key layout (stream `<prefix>:{<coin>}:shares`, ids `<prefix>:{<coin>}:recorded:<hour>`) */
  keys: RedisKeys;
  /**
   * the local spool file, unique to this process (two processes must never
   * share one); created when missing. Records go there while Redis cannot
   * take them and are replayed from it in order.
   */
  spoolFile: string;
  /** approximate cap of each coin's stream, entries (`XADD MAXLEN ~`; default 10_000_000) */
  maxLen?: number;
  /**
   * how long the ids of stored records are remembered, seconds after the
   * last record of their hour (default 172_800 = 2 days). A spooled record
   * replayed later than this after it reached Redis could be stored twice,
   * so keep it above the longest outage you expect to replay.
   */
  dedupTtlSeconds?: number;
  /** structured logger (default: silent) */
  logger?: LodeLogger;
  /** ms a record may wait for Redis before it is spooled instead (default 2000) */
  commandTimeoutMs?: number;
  /** ms between replay attempts while the spool is not empty and the client stays connected (default 1000) */
  retryIntervalMs?: number;
  /** records per replay step, all in flight at once (default 1000) */
  replayBatch?: number;
  /**
   * most records of one coin per script call (default 100). Records given in
   * the same event-loop turn travel together: one EVALSHA for up to this
   * many, which costs Redis about two thirds of one call per record.
   */
  maxBatch?: number;
  /** fdatasync the spool after every spooled record, to survive a power loss as well as a crash (default false) */
  fsyncSpool?: boolean;
}

/** Counters of a {@link RedisShareStore} since it was made. */
export interface RedisShareStoreCounters {
  /** records Redis confirmed on the direct path */
  recorded: number;
  /** records written to the spool */
  spooled: number;
  /** spooled records Redis confirmed on replay */
  replayed: number;
  /** records in the spool not yet confirmed */
  spoolDepth: number;
  /** confirmations where Redis already had the record's id (nothing appended) */
  alreadyStored: number;
  /** spool lines that were not readable records and were dropped on replay (logged) */
  discarded: number;
}
