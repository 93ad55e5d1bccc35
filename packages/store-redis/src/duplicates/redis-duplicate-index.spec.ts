import { LodeError } from '@lode/stratum-core';
import Redis from 'ioredis';
import { RedisKeys } from '../keys/redis-keys';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import { RedisDuplicateIndex } from './redis-duplicate-index';

const keys = new RedisKeys();
/** extranonce1, extranonce2, ntime, nonce, version bits */
const KEY = 'f0000001:0000000000000001:6650c6f1:9a3b5c11:00002000';

describe('RedisDuplicateIndex', () => {
  let server: TestRedis;
  const clients: Redis[] = [];

  function client(): Redis {
    const c = new Redis({ host: '127.0.0.1', port: server.port, enableAutoPipelining: true, retryStrategy: () => 20, disconnectTimeout: 50 });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  function index(ttlSeconds?: number): RedisDuplicateIndex {
    return new RedisDuplicateIndex({ redis: client(), keys, ttlSeconds });
  }

  beforeEach(async () => {
    server = await startTestRedis();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await server.stop();
  });

  describe('when the same key comes twice', () => {
    it('says new the first time and seen the second', async () => {
      const dup = index();
      expect(await dup.add('btc', 840000, KEY)).toBe(true);
      expect(await dup.add('btc', 840000, KEY)).toBe(false);
    });

    it('keeps heights and coins apart', async () => {
      const dup = index();
      expect(await dup.add('btc', 840000, KEY)).toBe(true);
      expect(await dup.add('btc', 840001, KEY)).toBe(true);
      expect(await dup.add('bch', 840000, KEY)).toBe(true);
    });
  });

  describe('when two pool instances share one Redis', () => {
    it('sees a key added by the other as a duplicate', async () => {
      const a = index();
      const b = index();
      expect(await a.add('btc', 840000, KEY)).toBe(true);
      expect(await b.add('btc', 840000, KEY)).toBe(false);
      expect(await b.add('btc', 840000, `${KEY}x`)).toBe(true);
      expect(await a.add('btc', 840000, `${KEY}x`)).toBe(false);
    });

    it('lets exactly one of many concurrent adds of one key win', async () => {
      const instances = [index(), index(), index()];
      const results = await Promise.all(instances.flatMap((dup) => [dup.add('btc', 1, KEY), dup.add('btc', 1, KEY)]));
      expect(results.filter((r) => r)).toHaveLength(1);
    });
  });

  describe('when heights are swept', () => {
    it('deletes the sets below the height, keeps the rest, and forgets the swept keys', async () => {
      const dup = index();
      const admin = client();
      for (const h of [100, 101, 102, 103]) await dup.add('btc', h, KEY);
      await dup.sweepBelow('btc', 102);
      expect(await admin.exists(keys.duplicates('btc', 100), keys.duplicates('btc', 101))).toBe(0);
      expect(await admin.exists(keys.duplicates('btc', 102), keys.duplicates('btc', 103))).toBe(2);
      expect(await admin.zrange(keys.duplicateHeights('btc'), 0, '-1')).toEqual(['102', '103']);
      expect(await dup.add('btc', 101, KEY)).toBe(true);
      expect(await dup.add('btc', 102, KEY)).toBe(false);
    });

    it('sweeps more heights than one script call takes', async () => {
      const dup = index();
      const admin = client();
      await Promise.all(Array.from({ length: 1200 }, (_, h) => dup.add('btc', h, KEY)));
      await dup.sweepBelow('btc', 1100);
      expect(await admin.zcard(keys.duplicateHeights('btc'))).toBe(100);
      expect(await admin.exists(keys.duplicates('btc', 0), keys.duplicates('btc', 599), keys.duplicates('btc', 1099))).toBe(0);
    });

    it('does nothing when no height is below', async () => {
      const dup = index();
      await dup.add('btc', 5, KEY);
      await dup.sweepBelow('btc', 5);
      expect(await dup.add('btc', 5, KEY)).toBe(false);
    });
  });

  describe('when a set is written', () => {
    it('gives it and the heights set an expiry within the ttl', async () => {
      const dup = index(600);
      const admin = client();
      await dup.add('btc', 7, KEY);
      for (const key of [keys.duplicates('btc', 7), keys.duplicateHeights('btc')]) {
        const ttl = await admin.ttl(key);
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(600);
      }
    });
  });

  describe('when Redis cannot answer', () => {
    it('throws LodeError(store) naming the check', async () => {
      const dup = index();
      await dup.add('btc', 1, KEY);
      await server.kill();
      const error: unknown = await dup.add('btc', 1, KEY).catch((e: unknown) => e);
      expect(LodeError.is(error, 'store')).toBe(true);
      expect((error as Error).message).toMatch(/duplicate check of btc height 1/);
      await expect(dup.sweepBelow('btc', 5)).rejects.toThrow(LodeError);
    });

    it('refuses a height that is not an integer >= 0', async () => {
      await expect(index().add('btc', -1, KEY)).rejects.toThrow(/block height -1 must be an integer >= 0/);
    });
  });
});
