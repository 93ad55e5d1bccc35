import type { DuplicateIndex } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys/redis-keys';
import { withDeadline } from '../shares/with-deadline';
import { ADD_DUPLICATE_LUA, SWEEP_DUPLICATES_LUA } from './duplicate-scripts';

/** Options of {@link RedisDuplicateIndex}. */
export interface RedisDuplicateIndexOptions {
  /** the ioredis client (the caller's; never closed here). `enableAutoPipelining: true` recommended. */
  redis: Redis;
  /** the key layout (`<prefix>:{<coin>}:dup:<height>`, `<prefix>:{<coin>}:dup-heights`) */
  keys: RedisKeys;
  /** seconds a height's set lives after its last new key, a bound when no sweep comes (default 86_400) */
  ttlSeconds?: number;
  /** ms to wait for Redis before failing (default 2000) */
  commandTimeoutMs?: number;
}

const ADD_COMMAND = 'lodeAddDuplicate';
const SWEEP_COMMAND = 'lodeSweepDuplicates';
/** Heights deleted per sweep script, so one call never blocks Redis for long. */
const SWEEP_CHUNK = 500;

type ScriptFn = (...args: (string | number)[]) => Promise<number>;

/**
 * The cluster-wide {@link DuplicateIndex} on Redis: one set per (coin,
 * height) of the shares' duplicate keys, shared by every pool instance on
 * the same Redis, and one Lua script call (one round trip) per share.
 *
 * The coin's live heights are kept in a sorted set updated by the same
 * script, so `sweepBelow` deletes exactly the sets below a height; every set
 * also expires `ttlSeconds` after its last new key, so nothing outlives a
 * pool that stopped sweeping.
 *
 * There is no fallback (an index that cannot answer cannot guess): every
 * failure (client between connection attempts or closed, an error reply, no
 * answer within `commandTimeoutMs`)
 * throws LodeError('store') and the engine decides what to do with the share.
 *
 * @see facts/field-notes.md §1.5 and §6 ("ioredis"): open-ethereum-pool's duplicate check by height
 */
export class RedisDuplicateIndex implements DuplicateIndex {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ttl: number;
  private readonly timeoutMs: number;
  private readonly addScript: ScriptFn;
  private readonly sweepScript: ScriptFn;

  /**
   * @throws LodeError('config') when a numeric option is not an integer >= 1,
   *   or the client has `enableAutoPipelining` with `autoResendUnfulfilledCommands: false`
   */
  constructor(options: RedisDuplicateIndexOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    if (this.redis.options.enableAutoPipelining === true && this.redis.options.autoResendUnfulfilledCommands === false) {
      // ioredis drops an unsent auto-pipeline on reconnect without settling it, and every later
      // auto-pipelined command then waits behind it forever: every check would time out.
      throw new LodeError(
        'config',
        'RedisDuplicateIndex needs a client with autoResendUnfulfilledCommands (the default) when enableAutoPipelining is on',
      );
    }
    this.ttl = positiveInteger('ttlSeconds', options.ttlSeconds ?? 86_400);
    this.timeoutMs = positiveInteger('commandTimeoutMs', options.commandTimeoutMs ?? 2000);
    const commands = this.redis as unknown as Record<string, ScriptFn | undefined>;
    if (commands[ADD_COMMAND] === undefined) this.redis.defineCommand(ADD_COMMAND, { numberOfKeys: 2, lua: ADD_DUPLICATE_LUA });
    if (commands[SWEEP_COMMAND] === undefined) this.redis.defineCommand(SWEEP_COMMAND, { lua: SWEEP_DUPLICATES_LUA });
    this.addScript = (commands[ADD_COMMAND] as ScriptFn).bind(this.redis);
    this.sweepScript = (commands[SWEEP_COMMAND] as ScriptFn).bind(this.redis);
  }

  /**
   * Records `key` under (coin, height).
   *
   * @param coin coin id ("btc")
   * @param height block height of the share's job, integer >= 0
   * @param key the share's duplicate key (extranonce1, extranonce2, ntime, nonce, version bits)
   * @returns true when the key is new, false when it was seen before (by any instance)
   * @throws LodeError('store') when the client is reconnecting or closed, or Redis errs or does not answer in time
   * @throws LodeError('store') when the height is not an integer >= 0
   * @throws LodeError('config') when the coin id cannot be part of a key
   */
  async add(coin: string, height: number, key: string): Promise<boolean> {
    checkHeight(height);
    const what = `duplicate check of ${coin} height ${height}`;
    this.checkReady(what);
    const added = await this.call(
      this.addScript(this.keys.duplicates(coin, height), this.keys.duplicateHeights(coin), key, height, this.ttl),
      what,
    );
    return added === 1;
  }

  /**
   * Deletes the sets of every height of `coin` below `height` (two round
   * trips: read the live heights, then delete them, 500 heights a call).
   *
   * @throws LodeError('store') when the client is reconnecting or closed, or Redis errs or does not answer in time
   * @throws LodeError('store') when the height is not an integer >= 0
   */
  async sweepBelow(coin: string, height: number): Promise<void> {
    checkHeight(height);
    const what = `sweep of ${coin} duplicates below height ${height}`;
    this.checkReady(what);
    const heightsKey = this.keys.duplicateHeights(coin);
    const heights = await this.call(this.redis.zrangebyscore(heightsKey, '-inf', `(${height}`), what);
    for (let i = 0; i < heights.length; i += SWEEP_CHUNK) {
      const chunk = heights.slice(i, i + SWEEP_CHUNK);
      const sets = chunk.map((h) => this.keys.duplicates(coin, Number(h)));
      await this.call(this.sweepScript(1 + sets.length, heightsKey, ...sets, ...chunk), what);
    }
  }

  private checkReady(what: string): void {
    // A client between connection attempts has nobody to ask: fail now rather than queue the
    // share for the whole deadline. While connecting (first connect included) the command waits
    // in the client's queue, bounded by the deadline.
    const status = this.redis.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      throw new LodeError('store', `${what}: redis connection is ${status}`);
    }
  }

  private async call<T>(promise: Promise<T>, what: string): Promise<T> {
    try {
      return await withDeadline(promise, this.timeoutMs, what);
    } catch (cause) {
      if (LodeError.is(cause, 'store')) throw cause;
      throw new LodeError('store', `${what} failed: ${(cause as Error).message}`, { cause });
    }
  }
}

function checkHeight(height: number): void {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new LodeError('store', `block height ${height} must be an integer >= 0`);
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new LodeError('config', `RedisDuplicateIndex option ${name} must be an integer >= 1, got ${value}`);
  }
  return value;
}
