import type { LodeLogger } from '@lode/stratum-core';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import { RedisExtranonceLeases } from './redis-extranonce-leases';

const STORE_ERROR = { name: 'LodeError', kind: 'store' };

async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function recordingLogger(): LodeLogger & { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const logger = {
    errors,
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (_: object, msg?: string) => warnings.push(msg ?? ''),
    error: (_: object, msg?: string) => errors.push(msg ?? ''),
    child: () => logger,
  };
  return logger;
}

describe('RedisExtranonceLeases', () => {
  let redis: TestRedis;
  const made: RedisExtranonceLeases[] = [];
  const leases = (options: { leaseMs?: number; logger?: LodeLogger } = {}): RedisExtranonceLeases => {
    const l = new RedisExtranonceLeases({ redis: redis.client(), ...options });
    made.push(l);
    return l;
  };
  /** holds every 1-byte prefix except `free` for another instance */
  const occupyAllBut = async (free: string): Promise<void> => {
    const c = redis.client();
    for (let v = 0; v < 256; v++) {
      const hex = v.toString(16).padStart(2, '0');
      if (hex !== free) await c.set(`lode:{en1}:prefix:${hex}`, 'other', 'PX', 60_000);
    }
  };

  beforeEach(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    for (const l of made.splice(0)) l.stop();
    await redis.stop();
  });

  describe('when two instances take prefixes', () => {
    it('gives them different ones, stored under lode:{en1}:prefix:<hex> with the instance id', async () => {
      const a = leases();
      const b = leases();
      const c = redis.client();
      for (let i = 0; i < 20; i++) {
        const pa = await a.acquirePrefix(1, 'a');
        const pb = await b.acquirePrefix(1, 'b');
        expect(pa).toHaveLength(1);
        expect(pa.equals(pb)).toBe(false);
        expect(await c.get(`lode:{en1}:prefix:${pa.toString('hex')}`)).toBe('a');
        expect(await c.get(`lode:{en1}:prefix:${pb.toString('hex')}`)).toBe('b');
        await a.releasePrefix();
        await b.releasePrefix();
      }
    });

    it('takes prefixes of 2 bytes as well', async () => {
      const prefix = await leases().acquirePrefix(2, 'a');
      expect(prefix).toHaveLength(2);
      expect(await redis.client().get(`lode:{en1}:prefix:${prefix.toString('hex')}`)).toBe('a');
    });
  });

  describe('when a prefix is released', () => {
    it('deletes its key so that another instance can take it', async () => {
      const a = leases();
      const prefix = (await a.acquirePrefix(1, 'a')).toString('hex');
      await a.releasePrefix();
      expect(await redis.client().exists(`lode:{en1}:prefix:${prefix}`)).toBe(0);
      await occupyAllBut(prefix);
      expect((await leases().acquirePrefix(1, 'b')).toString('hex')).toBe(prefix);
    });

    it('leaves a key that another instance holds by then', async () => {
      const a = leases();
      const prefix = (await a.acquirePrefix(1, 'a')).toString('hex');
      const c = redis.client();
      await c.set(`lode:{en1}:prefix:${prefix}`, 'b', 'PX', 60_000);
      await a.releasePrefix();
      expect(await c.get(`lode:{en1}:prefix:${prefix}`)).toBe('b');
    });
  });

  describe('when every prefix is held', () => {
    it("rejects with LodeError('store')", async () => {
      await occupyAllBut('--');
      await expect(leases().acquirePrefix(1, 'a')).rejects.toMatchObject(STORE_ERROR);
    });
  });

  describe('when the prefix is held longer than leaseMs', () => {
    it('renews it every leaseMs / 3', async () => {
      const prefix = (await leases({ leaseMs: 600 }).acquirePrefix(1, 'a')).toString('hex');
      await sleep(2000);
      const c = redis.client();
      expect(await c.get(`lode:{en1}:prefix:${prefix}`)).toBe('a');
      expect(await c.pttl(`lode:{en1}:prefix:${prefix}`)).toBeLessThanOrEqual(600);
    });

    it('takes it again after a Redis restart emptied it', async () => {
      const logger = recordingLogger();
      const prefix = (await leases({ leaseMs: 300, logger }).acquirePrefix(1, 'a')).toString('hex');
      await redis.kill();
      await redis.restart();
      const c = redis.client();
      await until(async () => (await c.get(`lode:{en1}:prefix:${prefix}`)) === 'a');
      // the key is back in Redis before the client has read the script's reply and logged it
      await until(async () => logger.warnings.includes('extranonce prefix lease had expired; taken again'));
      expect(logger.warnings).toContain('extranonce prefix lease had expired; taken again');
    });
  });

  describe('when the holder dies without releasing', () => {
    it('frees its prefix after leaseMs', async () => {
      const a = leases({ leaseMs: 300 });
      const prefix = (await a.acquirePrefix(1, 'a')).toString('hex');
      a.stop();
      const c = redis.client();
      expect(await c.pttl(`lode:{en1}:prefix:${prefix}`)).toBeLessThanOrEqual(300);
      await until(async () => (await c.exists(`lode:{en1}:prefix:${prefix}`)) === 0);
      await occupyAllBut(prefix);
      expect((await leases().acquirePrefix(1, 'b')).toString('hex')).toBe(prefix);
    });
  });

  describe('when another instance holds the prefix at renewal', () => {
    it('logs the loss once as an error and leaves the key alone', async () => {
      const logger = recordingLogger();
      const prefix = (await leases({ leaseMs: 150, logger }).acquirePrefix(1, 'a')).toString('hex');
      const c = redis.client();
      await c.set(`lode:{en1}:prefix:${prefix}`, 'b', 'PX', 60_000);
      await until(() => logger.errors.length > 0);
      await sleep(300);
      expect(logger.errors).toEqual([
        `extranonce prefix ${prefix} lease lost: another instance holds it and may hand out the same extranonce1 values`,
      ]);
      expect(await c.get(`lode:{en1}:prefix:${prefix}`)).toBe('b');
    });
  });

  describe('when a prefix is asked for twice', () => {
    it("rejects the second with LodeError('store')", async () => {
      const a = leases();
      await a.acquirePrefix(1, 'a');
      await expect(a.acquirePrefix(1, 'a')).rejects.toMatchObject(STORE_ERROR);
    });

    it("rejects a size outside 1..4 with LodeError('config')", async () => {
      await expect(leases().acquirePrefix(0, 'a')).rejects.toMatchObject({ kind: 'config' });
      await expect(leases().acquirePrefix(5, 'a')).rejects.toMatchObject({ kind: 'config' });
    });
  });

  describe('when extranonce1 values are claimed', () => {
    const en1 = Buffer.from('0a0b0c0d', 'hex');

    it('refuses a claim held by another instance until it is released', async () => {
      const a = leases();
      const b = leases();
      expect(await a.claim(en1, 'a', 60_000)).toBe(true);
      expect(await b.claim(en1, 'b', 60_000)).toBe(false);
      expect(await redis.client().get('lode:{en1}:claim:0a0b0c0d')).toBe('a');
      await b.release(en1, 'b');
      expect(await b.claim(en1, 'b', 60_000)).toBe(false);
      await a.release(en1, 'a');
      expect(await b.claim(en1, 'b', 60_000)).toBe(true);
    });

    it('refreshes the claim of the same instance', async () => {
      const a = leases();
      const c = redis.client();
      expect(await a.claim(en1, 'a', 1_000)).toBe(true);
      expect(await a.claim(en1, 'a', 60_000)).toBe(true);
      expect(await c.pttl('lode:{en1}:claim:0a0b0c0d')).toBeGreaterThan(1_000);
    });

    it('frees a claim after its ttl', async () => {
      const a = leases();
      expect(await a.claim(en1, 'a', 100)).toBe(true);
      const c = redis.client();
      await until(async () => (await c.exists('lode:{en1}:claim:0a0b0c0d')) === 0);
      expect(await leases().claim(en1, 'b', 60_000)).toBe(true);
    });
  });

  describe('when Redis is down', () => {
    it("rejects with LodeError('store')", async () => {
      const a = leases();
      await redis.kill();
      await expect(a.acquirePrefix(1, 'a')).rejects.toMatchObject(STORE_ERROR);
      await expect(a.claim(Buffer.from('01', 'hex'), 'a', 1000)).rejects.toMatchObject(STORE_ERROR);
    });
  });
});
