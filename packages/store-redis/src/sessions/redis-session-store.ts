import type Redis from 'ioredis';
import { LodeError } from '@lode/stratum-core';
import type { SessionRecord, SessionStore } from '@lode/pool-engine';
import { RedisKeys } from '../keys/redis-keys';
import { parseSessionRecord } from './parse-session-record';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** a command connection (shared with the other stores is fine) */
  redis: Redis;
  /** the key layout (default: prefix "lode") */
  keys?: RedisKeys;
  /** clock in ms since epoch (default Date.now) */
  now?: () => number;
}

/**
 * The shared {@link SessionStore}: a miner may resume its session on any pool
 * instance (DESIGN.md "State and scale"; field-notes §1.2 "Session resume",
 * which ckpool keeps in memory only).
 *
 * Each record is one key, `lode:{sessions}:<sessionId>`, holding the record
 * as JSON with a PX expiry at `expiresAt` (computed against this instance's
 * clock). take() is GETDEL (Redis >= 6.2), a single atomic command, so when
 * two instances race for one session id exactly one gets the record.
 */
export class RedisSessionStore implements SessionStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  /** @param options the connection, key layout and clock; nothing is sent until the first call */
  constructor(options: RedisSessionStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys ?? new RedisKeys();
    this.now = options.now ?? Date.now;
  }

  /**
   * Keeps `record` under `sessionId` until `record.expiresAt` (ms since
   * epoch), replacing any earlier record; a record already expired only
   * removes the earlier one.
   *
   * @throws LodeError('store') when Redis fails or the record is not JSON-serialisable
   */
  async save(sessionId: string, record: SessionRecord): Promise<void> {
    const key = this.keys.session(sessionId);
    const ttlMs = Math.ceil(record.expiresAt - this.now());
    let json: string;
    try {
      json = JSON.stringify(record);
    } catch (cause) {
      throw new LodeError('store', `session ${sessionId}: the record cannot be written as JSON`, { cause });
    }
    try {
      if (!(ttlMs > 0)) {
        await this.redis.del(key);
        return;
      }
      await this.redis.set(key, json, 'PX', ttlMs);
    } catch (cause) {
      throw new LodeError('store', `session ${sessionId}: redis refused the save of ${key}: ${messageOf(cause)}`, { cause });
    }
  }

  /**
   * Removes and returns the record (GETDEL), or undefined when there is none
   * or it has expired. One-shot across every instance sharing the Redis.
   *
   * @throws LodeError('store') when Redis fails or the stored value is not a SessionRecord
   */
  async take(sessionId: string): Promise<SessionRecord | undefined> {
    const key = this.keys.session(sessionId);
    let json: string | null;
    try {
      json = await this.redis.getdel(key);
    } catch (cause) {
      throw new LodeError('store', `session ${sessionId}: redis refused GETDEL ${key}: ${messageOf(cause)}`, { cause });
    }
    if (json === null) return undefined;
    const record = parseSessionRecord(json, key);
    // PX rounds to the server's clock; the record's own deadline is the rule.
    return record.expiresAt > this.now() ? record : undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
