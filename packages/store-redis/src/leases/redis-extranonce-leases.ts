import type Redis from 'ioredis';
import { randomInt } from 'node:crypto';
import { LodeError, silentLogger, type LodeLogger } from '@lode/stratum-core';
import type { ExtranonceLeases } from '@lode/pool-engine';
import { RedisKeys } from '../keys/redis-keys';
import { leaseCommands, type LeaseCommands } from './lease-commands';

/** Options of {@link RedisExtranonceLeases}. All durations in ms. */
export interface RedisExtranonceLeasesOptions {
  /** a command connection (shared with the other stores is fine) */
  redis: Redis;
  /** the key layout (default: prefix "lode") */
  keys?: RedisKeys;
  /**
   * lifetime of the prefix lease (default 15000): a crashed instance's prefix
   * becomes free this long after its last renewal; renewed every leaseMs / 3
   */
  leaseMs?: number;
  /** receives lease losses (error) and re-takes (warn) */
  logger?: LodeLogger;
}

/** candidate prefixes tried per Redis round trip */
const BATCH = 256;
/** prefixes tried before acquirePrefix gives up (all of them for 1 and 2 bytes) */
const MAX_TRIED = 65536;

/**
 * The shared {@link ExtranonceLeases}: extranonce1 prefixes unique across
 * every pool instance on one Redis (DESIGN.md "State and scale"; field-notes
 * §1.1: Miningcore puts its cluster instance id into extranonce1; §1.3:
 * public-pool's 4 random bytes collide at scale; §6 "ioredis").
 *
 * A prefix is the key `lode:{en1}:prefix:<hex>` set with NX and a PX expiry
 * of `leaseMs`; the value is the instance id. A timer (unref'd) renews it
 * every leaseMs / 3 with a compare-and-pexpire script, so a crashed
 * instance's prefix is free again at most `leaseMs` after its last renewal.
 * When a renewal finds the key gone (Redis restarted, or it was unreachable
 * longer than `leaseMs`) it takes it again if still free; when another
 * instance holds it by then, the loss is logged as an error, since both
 * instances now hand out extranonce1 values with that prefix.
 *
 * A claim is the key `lode:{en1}:claim:<hex>` of a full extranonce1, taken
 * when missing or already this instance's (Lua), with the caller's TTL.
 */
export class RedisExtranonceLeases implements ExtranonceLeases {
  private readonly commands: LeaseCommands;
  private readonly keys: RedisKeys;
  private readonly leaseMs: number;
  private readonly logger: LodeLogger;
  private held?: { key: string; prefix: Buffer; owner: string };
  private renewTimer?: NodeJS.Timeout;
  private renewing = false;
  /** set while the prefix is held by another instance, so the loss is logged once per streak */
  private lost = false;

  /** @throws LodeError('config') when leaseMs is not an integer >= 3 */
  constructor(options: RedisExtranonceLeasesOptions) {
    this.commands = leaseCommands(options.redis);
    this.keys = options.keys ?? new RedisKeys();
    this.leaseMs = options.leaseMs ?? 15_000;
    this.logger = options.logger ?? silentLogger;
    if (!Number.isInteger(this.leaseMs) || this.leaseMs < 3) {
      throw new LodeError('config', `extranonce prefix leaseMs must be an integer >= 3, got ${this.leaseMs}`);
    }
  }

  /** the prefix this instance holds now, if any */
  get prefix(): Buffer | undefined {
    return this.held === undefined ? undefined : Buffer.from(this.held.prefix);
  }

  /**
   * Takes the first free prefix of `bytes` bytes, starting from a random
   * value and counting up (mod 256^bytes), 256 candidates per script call;
   * then renews it every leaseMs / 3 until releasePrefix() or stop().
   *
   * @param bytes prefix length, integer 1..4 (5 and more would not fit a safe
   *   integer search and no pool needs more than 2^32 instances)
   * @param instanceId this instance's id, stored as the key's value; two live
   *   processes must never share one
   * @throws LodeError('config') for a bad `bytes`, LodeError('store') when
   *   this instance already holds a prefix, when 65536 candidates (every
   *   prefix, for 1 and 2 bytes) were all taken, or when Redis fails
   */
  async acquirePrefix(bytes: number, instanceId: string): Promise<Buffer> {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 4) {
      throw new LodeError('config', `extranonce prefix is ${bytes} bytes, expected an integer 1..4`);
    }
    if (this.held !== undefined) {
      throw new LodeError(
        'store',
        `instance ${this.held.owner} already holds extranonce prefix ${this.held.prefix.toString('hex')}; releasePrefix() first`,
      );
    }
    const space = 256 ** bytes;
    const total = Math.min(space, MAX_TRIED);
    const start = randomInt(0, space);
    for (let tried = 0; tried < total; tried += BATCH) {
      const prefixes: Buffer[] = [];
      for (let i = tried; i < Math.min(tried + BATCH, total); i++) prefixes.push(toPrefix((start + i) % space, bytes));
      const keys = prefixes.map((p) => this.keys.extranoncePrefix(p.toString('hex')));
      let index: number;
      try {
        index = await this.commands.takeFirstFree(keys, instanceId, this.leaseMs);
      } catch (cause) {
        throw new LodeError('store', `cannot take an extranonce prefix: redis failed: ${messageOf(cause)}`, { cause });
      }
      if (index >= 0) {
        const prefix = prefixes[index];
        this.held = { key: keys[index], prefix, owner: instanceId };
        this.lost = false;
        this.startRenewal();
        this.logger.info({ prefix: prefix.toString('hex'), instanceId }, 'extranonce prefix taken');
        return Buffer.from(prefix);
      }
    }
    throw new LodeError(
      'store',
      `every one of ${total} extranonce prefixes of ${bytes} byte(s) tried is held by another instance`,
    );
  }

  /**
   * Stops the renewal and deletes the prefix key if it is still this
   * instance's (compare-and-delete). Nothing held: nothing to do.
   *
   * @throws LodeError('store') when Redis fails (the lease then just expires)
   */
  async releasePrefix(): Promise<void> {
    const held = this.held;
    this.stop();
    this.held = undefined;
    if (held === undefined) return;
    try {
      await this.commands.release(held.key, held.owner);
    } catch (cause) {
      throw new LodeError('store', `cannot release extranonce prefix ${held.prefix.toString('hex')}: ${messageOf(cause)}`, {
        cause,
      });
    }
  }

  /**
   * Claims `extranonce1` for `instanceId` for `ttlMs` from now: succeeds when
   * unclaimed or already claimed by `instanceId` (then the TTL restarts).
   *
   * @param ttlMs claim lifetime, integer ms >= 1
   * @returns false when another instance holds the claim
   * @throws LodeError('config') for a bad ttlMs, LodeError('store') when Redis fails
   */
  async claim(extranonce1: Buffer, instanceId: string, ttlMs: number): Promise<boolean> {
    if (!Number.isInteger(ttlMs) || ttlMs < 1) {
      throw new LodeError('config', `extranonce1 claim ttlMs must be an integer >= 1, got ${ttlMs}`);
    }
    const hex = extranonce1.toString('hex');
    try {
      return (await this.commands.take(this.keys.extranonceClaim(hex), instanceId, ttlMs)) !== 'held';
    } catch (cause) {
      throw new LodeError('store', `cannot claim extranonce1 ${hex}: ${messageOf(cause)}`, { cause });
    }
  }

  /**
   * Drops the claim if `instanceId` holds it (compare-and-delete); a claim of
   * another instance is left alone.
   *
   * @throws LodeError('store') when Redis fails
   */
  async release(extranonce1: Buffer, instanceId: string): Promise<void> {
    const hex = extranonce1.toString('hex');
    try {
      await this.commands.release(this.keys.extranonceClaim(hex), instanceId);
    } catch (cause) {
      throw new LodeError('store', `cannot release extranonce1 ${hex}: ${messageOf(cause)}`, { cause });
    }
  }

  /**
   * Stops the renewal timer without releasing anything (the prefix then
   * expires `leaseMs` after its last renewal). Used at shutdown after
   * releasePrefix(), and by tests to simulate a crash.
   */
  stop(): void {
    if (this.renewTimer !== undefined) clearInterval(this.renewTimer);
    this.renewTimer = undefined;
  }

  private startRenewal(): void {
    this.stop();
    this.renewTimer = setInterval(() => void this.renew(), Math.floor(this.leaseMs / 3));
    // The renewal must never keep a process alive on its own.
    this.renewTimer.unref();
  }

  private async renew(): Promise<void> {
    const held = this.held;
    // A slow Redis must not stack renewals up.
    if (held === undefined || this.renewing) return;
    this.renewing = true;
    const hex = held.prefix.toString('hex');
    try {
      // take = renew when ours, take again when the key is gone, nothing when another instance has it
      const result = await this.commands.take(held.key, held.owner, this.leaseMs);
      if (this.held !== held) return;
      const wasLost = this.lost;
      this.lost = result === 'held';
      if (result === 'taken') {
        this.logger.warn({ prefix: hex, instanceId: held.owner }, 'extranonce prefix lease had expired; taken again');
      } else if (result === 'held' && !wasLost) {
        this.logger.error(
          { prefix: hex, instanceId: held.owner },
          `extranonce prefix ${hex} lease lost: another instance holds it and may hand out the same extranonce1 values`,
        );
      }
    } catch (error) {
      this.logger.warn({ prefix: hex, err: messageOf(error) }, 'extranonce prefix renewal failed; retrying');
    } finally {
      this.renewing = false;
    }
  }
}

function toPrefix(value: number, bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes);
  buffer.writeUIntBE(value, 0, bytes);
  return buffer;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
