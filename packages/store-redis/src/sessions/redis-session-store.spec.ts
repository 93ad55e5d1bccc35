import type { SessionRecord } from '@lode/pool-engine';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import { RedisKeys } from '../keys/redis-keys';
import { RedisSessionStore } from './redis-session-store';

const FULL: SessionRecord = {
  extranonce1: '0a1b2c3d',
  expiresAt: 0,
  workers: ['alice.rig1', 'alice.rig2'],
  difficulty: 0.5,
  jobs: [
    { jobId: '1f', target: '00000000ffff0000000000000000000000000000000000000000000000000000', difficulty: 1, extranonce1: '0a1b2c3d' },
    { jobId: '20', target: '00000001fffe0000000000000000000000000000000000000000000000000000', difficulty: 0.5, extranonce1: '0a1b2c3d' },
  ],
};

const STORE_ERROR = { name: 'LodeError', kind: 'store' };

async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

describe('RedisSessionStore', () => {
  let redis: TestRedis;
  beforeEach(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => redis.stop());

  describe('when a record with every field is saved and taken', () => {
    it('returns it equal, once, from the key lode:{sessions}:<id>', async () => {
      const client = redis.client();
      const store = new RedisSessionStore({ redis: client });
      const record = { ...FULL, expiresAt: Date.now() + 60_000 };
      await store.save('00112233aabbccdd', record);
      expect(await client.exists('lode:{sessions}:00112233aabbccdd')).toBe(1);
      expect(await store.take('00112233aabbccdd')).toEqual(record);
      expect(await store.take('00112233aabbccdd')).toBeUndefined();
      expect(await client.exists('lode:{sessions}:00112233aabbccdd')).toBe(0);
    });

    it('replaces an earlier record of the same id', async () => {
      const store = new RedisSessionStore({ redis: redis.client() });
      await store.save('ab', { extranonce1: '01', expiresAt: Date.now() + 60_000 });
      await store.save('ab', { extranonce1: '02', expiresAt: Date.now() + 60_000 });
      expect((await store.take('ab'))?.extranonce1).toBe('02');
    });

    it('uses the prefix of its RedisKeys', async () => {
      const client = redis.client();
      const store = new RedisSessionStore({ redis: client, keys: new RedisKeys({ prefix: 'pool2' }) });
      await store.save('ab', { extranonce1: '01', expiresAt: Date.now() + 60_000 });
      expect(await client.exists('pool2:{sessions}:ab')).toBe(1);
    });
  });

  describe('when two instances take the same session at once', () => {
    it('gives the record to exactly one of them', async () => {
      const a = new RedisSessionStore({ redis: redis.client() });
      const b = new RedisSessionStore({ redis: redis.client() });
      for (let i = 0; i < 20; i++) {
        await a.save(`s${i}`, { ...FULL, expiresAt: Date.now() + 60_000 });
        const results = await Promise.all([a.take(`s${i}`), b.take(`s${i}`)]);
        expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      }
    });
  });

  describe('when the resume window ends', () => {
    it('sets the key to expire at expiresAt and then returns nothing', async () => {
      const client = redis.client();
      const store = new RedisSessionStore({ redis: client });
      await store.save('ab', { extranonce1: '01', expiresAt: Date.now() + 1000 });
      const pttl = await client.pttl('lode:{sessions}:ab');
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(1000);
      await until(async () => (await client.exists('lode:{sessions}:ab')) === 0);
      expect(await store.take('ab')).toBeUndefined();
    });

    it('returns nothing once its clock passes expiresAt, even while the key lives', async () => {
      let now = 1_000_000;
      const store = new RedisSessionStore({ redis: redis.client(), now: () => now });
      await store.save('ab', { extranonce1: '01', expiresAt: now + 60_000 });
      now += 60_000;
      expect(await store.take('ab')).toBeUndefined();
    });

    it('treats a save of an expired record as a removal of the earlier one', async () => {
      const store = new RedisSessionStore({ redis: redis.client() });
      await store.save('ab', { extranonce1: '01', expiresAt: Date.now() + 60_000 });
      await store.save('ab', { extranonce1: '02', expiresAt: Date.now() - 1 });
      expect(await store.take('ab')).toBeUndefined();
    });
  });

  describe('when the stored value is not a session record', () => {
    it("throws LodeError('store') naming the key", async () => {
      const client = redis.client();
      await client.set('lode:{sessions}:ab', '{"extranonce1":7}');
      const store = new RedisSessionStore({ redis: client });
      await expect(store.take('ab')).rejects.toThrow(/lode:\{sessions\}:ab/);
      await client.set('lode:{sessions}:cd', 'not json');
      await expect(store.take('cd')).rejects.toMatchObject(STORE_ERROR);
    });
  });

  describe('when Redis is down', () => {
    it("rejects save and take with LodeError('store')", async () => {
      const store = new RedisSessionStore({ redis: redis.client() });
      await redis.kill();
      await expect(store.save('ab', { extranonce1: '01', expiresAt: Date.now() + 60_000 })).rejects.toMatchObject(STORE_ERROR);
      await expect(store.take('ab')).rejects.toMatchObject(STORE_ERROR);
    });
  });
});
