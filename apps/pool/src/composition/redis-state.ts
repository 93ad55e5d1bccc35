import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { CoinNode } from '@lode/plugin-api';
import type { DuplicateIndex, ExtranonceLeases, SessionStore, ShareStore } from '@lode/pool-engine';
import {
  RedisDuplicateIndex,
  RedisExtranonceLeases,
  RedisKeys,
  RedisSessionStore,
  RedisShareStore,
  RedisTemplateBus,
  ShareAccountant,
} from '@lode/store-redis';
import type { LodeLogger } from '@lode/stratum-core';
import type { PoolConfig, RedisConfig } from '../config/pool-config';
import type { PoolMetrics } from '../metrics/pool-metrics';
import { timedPort } from '../metrics/timed-port';

/** Every engine port on Redis, for one pool instance (issue 4; DESIGN.md "State and scale"). */
export interface RedisState {
  shareStore: ShareStore;
  sessionStore: SessionStore;
  duplicateIndex: DuplicateIndex;
  extranonceLeases: ExtranonceLeases;
  /** wraps a coin's node in the job bus; `createNode` makes a fresh one for a later publisher term */
  wrapNode(coin: string, node: CoinNode, createNode: () => CoinNode): CoinNode;
  /** share records in the local spool not yet confirmed by Redis (metrics) */
  spoolDepth(): number;
  /** the share accountant, when accounting is enabled */
  accountant?: ShareAccountant;
  /** flushes the share log (spool), stops timers and consumers, closes connections */
  stop(): Promise<void>;
}

/**
 * Connects to Redis and builds the engine's ports on it. The share log
 * replays a spool left by a previous run before this resolves, so a
 * restarted instance never answers a share before its old records are safe.
 *
 * With `metrics`, every call of the engine's ports (share log, session
 * store, duplicate index, extranonce leases) is timed as
 * "shares.record", "sessions.save", "duplicates.add", "leases.claim", ...
 * (PoolMetrics.observeRedis: also every Redis command and the spool depth).
 *
 * @param instanceId this instance's id (lease values, record ids, consumer name)
 * @param metrics the pool's metrics, when the endpoint is on
 * @throws LodeError('store') when the spool cannot be opened
 */
export async function startRedisState(
  config: PoolConfig,
  redisConfig: RedisConfig,
  instanceId: string,
  logger: LodeLogger,
  metrics?: Pick<PoolMetrics, 'observeRedis'>,
): Promise<RedisState> {
  const log = logger.child({ component: 'redis' });
  // Commands fail fast while Redis is down (the share log spools); the client reconnects by itself.
  const redis = new Redis(redisConfig.url, { enableAutoPipelining: true, maxRetriesPerRequest: 1, lazyConnect: false });
  redis.on('error', () => undefined);
  let down = false;
  redis.on('close', () => {
    if (!down) log.warn({ url: redisConfig.url }, 'redis connection lost; share records go to the local spool');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info({ url: redisConfig.url }, 'redis connection back');
    down = false;
  });
  const keys = new RedisKeys({ prefix: redisConfig.prefix });
  mkdirSync(redisConfig.spoolDir, { recursive: true });
  const spoolFile = join(redisConfig.spoolDir, `${config.instanceId ?? 'pool'}.spool`);
  // fsync each spooled record: the spool is only written while Redis is away, when durability matters most
  const shareStore = new RedisShareStore({ redis, keys, spoolFile, fsyncSpool: true, logger: log });
  await shareStore.start();
  const extranonceLeases = new RedisExtranonceLeases({ redis, keys, logger: log });
  const nodeFactories = new Map<string, () => CoinNode>();
  const bus = new RedisTemplateBus({
    redis,
    keys,
    instanceId,
    leaseMs: redisConfig.leaseSeconds * 1000,
    refreshIntervalMs: config.engine.jobRefreshSeconds * 1000,
    createNode: (coin) => (nodeFactories.get(coin) as () => CoinNode)(),
    logger: log,
  });

  let accountant: ShareAccountant | undefined;
  let accountantConnection: Redis | undefined;
  if (redisConfig.accounting.enabled) {
    accountantConnection = redis.duplicate();
    accountantConnection.on('error', () => undefined);
    const { scheme, pplnsWindowDifficulty } = redisConfig.accounting;
    accountant = new ShareAccountant({
      redis: accountantConnection,
      prefix: redisConfig.prefix,
      coins: [...new Set(config.ports.map((p) => p.coin))],
      consumer: instanceId,
      scheme: scheme === 'pplns' ? { kind: 'pplns', windowDifficulty: pplnsWindowDifficulty } : { kind: scheme },
      logger: log.child({ component: 'accounting' }),
    });
    await accountant.start();
  }

  const record = metrics?.observeRedis(() => shareStore.counters.spoolDepth);
  const timed = <T extends object>(port: T, name: string): T => (record === undefined ? port : timedPort(port, name, record));
  return {
    shareStore: timed<ShareStore>(shareStore, 'shares'),
    sessionStore: timed<SessionStore>(new RedisSessionStore({ redis, keys }), 'sessions'),
    duplicateIndex: timed<DuplicateIndex>(new RedisDuplicateIndex({ redis, keys }), 'duplicates'),
    extranonceLeases: timed<ExtranonceLeases>(extranonceLeases, 'leases'),
    accountant,
    spoolDepth: () => shareStore.counters.spoolDepth,
    wrapNode(coin, node, createNode) {
      nodeFactories.set(coin, createNode);
      return bus.wrap(coin, node);
    },
    async stop() {
      await accountant?.stop();
      await shareStore.stop();
      extranonceLeases.stop();
      accountantConnection?.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
