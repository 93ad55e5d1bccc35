import type Redis from 'ioredis';
import { LodeError, silentLogger, type LodeLogger } from '@lode/stratum-core';
import type { CoinNode } from '@lode/plugin-api';
import type { TemplateBus } from '@lode/pool-engine';
import { RedisKeys } from '../keys/redis-keys';
import { RedisBusNode } from './redis-bus-node';

/** Options of {@link RedisTemplateBus}. All durations in ms. */
export interface RedisTemplateBusOptions {
  /** command connection: lease and publish scripts (shared with the other stores is fine) */
  redis: Redis;
  /**
   * connection each wrapped node duplicates (ioredis `duplicate()`) for its
   * own blocking XREAD; default `redis`. The duplicates are this bus's and
   * are disconnected on stop; `redis` and `subscriber` stay the caller's.
   */
  subscriber?: Redis;
  /** the key layout (default: prefix "lode") */
  keys?: RedisKeys;
  /** this pool instance's id, the lease value; two live processes must never share one */
  instanceId: string;
  /** publisher lease lifetime (5000), renewed or tried every leaseMs / 3: a crashed publisher is replaced within about leaseMs */
  leaseMs?: number;
  /** the publisher republishes the current template when none came for this long (30000; the engine's job refresh) */
  refreshIntervalMs?: number;
  /** approximate cap of each coin's stream, entries (100; XADD MAXLEN ~): mind the size of a template's raw */
  streamMaxLen?: number;
  /**
   * Makes a fresh node for the coin when this instance becomes publisher a
   * second time (its earlier node was stopped, and e.g. BitcoinNode starts
   * only once). Absent: the wrapped node is started again.
   */
  createNode?: (coin: string) => CoinNode;
  logger?: LodeLogger;
}

/**
 * The job bus on Redis (issue 4; DESIGN.md "State and scale"): every pool
 * instance mines the same templates with the same job ids.
 *
 * Per coin, one instance holds the lease `lode:{btc}:bus:lease` (SET NX PX
 * leaseMs, renewed by a compare-and-pexpire script) and is the only one
 * running the coin's node; it appends each template to the stream
 * `lode:{btc}:bus` through one Lua script that checks the lease, increments
 * `lode:{btc}:bus:seq`, compares with `lode:{btc}:bus:head` for `clean` and
 * XADDs (MAXLEN ~ streamMaxLen). Every instance, the publisher included,
 * reads the stream (the latest entry at start, then XREAD BLOCK on its own
 * connection) and emits the templates with `jobId` = the sequence in hex.
 *
 * Failover: stop() deletes the lease, so another instance takes over within
 * leaseMs / 3; a crashed publisher's lease expires, so within leaseMs + leaseMs / 3.
 * Redis >= 6.2.
 */
export class RedisTemplateBus implements TemplateBus {
  private readonly keys: RedisKeys;
  private readonly leaseMs: number;
  private readonly refreshIntervalMs: number;
  private readonly streamMaxLen: number;
  private readonly logger: LodeLogger;
  private readonly active = new Set<string>();

  /**
   * @throws LodeError('config') when instanceId is empty, leaseMs is not an
   *   integer >= 3, refreshIntervalMs is not > 0 or streamMaxLen is not an integer >= 1
   */
  constructor(private readonly options: RedisTemplateBusOptions) {
    this.keys = options.keys ?? new RedisKeys();
    this.leaseMs = options.leaseMs ?? 5000;
    this.refreshIntervalMs = options.refreshIntervalMs ?? 30_000;
    this.streamMaxLen = options.streamMaxLen ?? 100;
    this.logger = options.logger ?? silentLogger;
    if (options.instanceId.length === 0) throw new LodeError('config', 'template bus instanceId must not be empty');
    if (!Number.isInteger(this.leaseMs) || this.leaseMs < 3) {
      throw new LodeError('config', `template bus leaseMs must be an integer >= 3, got ${this.leaseMs}`);
    }
    if (!(this.refreshIntervalMs > 0)) {
      throw new LodeError('config', `template bus refreshIntervalMs must be > 0, got ${this.refreshIntervalMs}`);
    }
    if (!Number.isInteger(this.streamMaxLen) || this.streamMaxLen < 1) {
      throw new LodeError('config', `template bus streamMaxLen must be an integer >= 1, got ${this.streamMaxLen}`);
    }
  }

  /**
   * The node as the engine should use it: templates from the bus, blocks
   * submitted through `node`. Nothing happens until its start().
   *
   * @param coin coin id ("btc"), part of the keys
   * @param node this instance's node client for the coin
   * @throws LodeError('config') when the coin id cannot be part of a key, or
   *   when the coin is already wrapped by this bus and not stopped
   */
  wrap(coin: string, node: CoinNode): RedisBusNode {
    const stream = this.keys.bus(coin);
    if (this.active.has(coin)) {
      throw new LodeError('config', `coin ${coin} is already on this template bus; stop its node before wrapping it again`);
    }
    this.active.add(coin);
    return new RedisBusNode({
      coin,
      node,
      redis: this.options.redis,
      readerSource: this.options.subscriber ?? this.options.redis,
      keys: { stream, sequence: this.keys.busSequence(coin), head: this.keys.busHead(coin), lease: this.keys.busLease(coin) },
      instanceId: this.options.instanceId,
      leaseMs: this.leaseMs,
      refreshIntervalMs: this.refreshIntervalMs,
      streamMaxLen: this.streamMaxLen,
      createNode: this.options.createNode,
      logger: this.logger,
      onStopped: () => this.active.delete(coin),
    });
  }
}
