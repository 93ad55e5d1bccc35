import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ShareRecord } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import Redis, { type RedisOptions } from 'ioredis';
import { RedisKeys } from '../keys/redis-keys';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import { RedisShareStore } from './redis-share-store';
import type { RedisShareStoreOptions } from './redis-share-store-options';
import { SHARE_FIELD_NAMES, shareRecordFromFields } from './share-fields';

const keys = new RedisKeys();

function share(seq: number, extra: Partial<ShareRecord> = {}): ShareRecord {
  return {
    id: `inst-a:${seq}`,
    instance: 'inst-a',
    coin: 'btc',
    worker: 'bc1qexample.rig1',
    jobId: (seq % 256).toString(16),
    height: 840000,
    difficulty: 1024,
    shareDifficulty: 3071.25,
    networkDifficulty: 86_388_558_925_171.02,
    verdict: 'accepted',
    remoteAddress: '127.0.0.1:50123',
    time: 1_700_000_000_000 + seq,
    ...extra,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** Polls until `cond` holds; the test's own timeout bounds it (no timed assertion). */
async function until(cond: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await cond())) await new Promise((r) => setTimeout(r, 5));
}

describe('RedisShareStore', () => {
  let server: TestRedis;
  let dir: string;
  const clients: Redis[] = [];
  const stores: RedisShareStore[] = [];

  /** A client that reconnects every 20 ms (the default backoff would slow the tests down). */
  function client(options: RedisOptions = {}): Redis {
    const c = new Redis({ host: '127.0.0.1', port: server.port, enableAutoPipelining: true, retryStrategy: () => 20, disconnectTimeout: 50, ...options });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  }

  function store(options: Partial<RedisShareStoreOptions> = {}, redisOptions: RedisOptions = {}): RedisShareStore {
    const s = new RedisShareStore({ redis: client(redisOptions), keys, spoolFile: join(dir, 'shares.spool'), ...options });
    stores.push(s);
    return s;
  }

  async function streamIds(admin: Redis): Promise<string[]> {
    const entries = await admin.xrange(keys.shares('btc'), '-', '+');
    return entries.map(([, fields]) => shareRecordFromFields('btc', fields).id);
  }

  function spoolLines(): string[] {
    return readFileSync(join(dir, 'shares.spool'), 'utf8').split('\n').filter((l) => l !== '');
  }

  beforeEach(async () => {
    server = await startTestRedis();
    dir = mkdtempSync(join(tmpdir(), 'lode-share-store-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.stop();
    for (const c of clients.splice(0)) c.disconnect();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when Redis is up', () => {
    it('appends each record to the coin stream with every field, numbers as decimal strings', async () => {
      const s = store();
      await s.start();
      const block = share(1, { blockHash: '00000000000000000002a7c4c1e48d76c5a37902165a270156b7a8d72728a054', versionBits: 0x1fffe000 });
      const refused = share(2, { verdict: 'duplicate', difficulty: 0, message: 'share already submitted' });
      await s.record(block);
      await s.record(refused);
      const entries = await client().xrange(keys.shares('btc'), '-', '+');
      expect(entries).toHaveLength(2);
      expect(entries[0][1].filter((_, i) => i % 2 === 0)).toEqual([...SHARE_FIELD_NAMES]);
      expect(entries[0][1]).toContain('536862720');
      expect(shareRecordFromFields('btc', entries[0][1])).toEqual(block);
      expect(shareRecordFromFields('btc', entries[1][1])).toEqual(refused);
      expect(s.counters).toMatchObject({ recorded: 2, spooled: 0, spoolDepth: 0 });
    });

    it('stores a record given twice once, one after the other or in the same call', async () => {
      const s = store();
      await s.start();
      await s.record(share(7));
      await s.record(share(7));
      await Promise.all([s.record(share(8)), s.record(share(8))]);
      expect(await streamIds(client())).toEqual(['inst-a:7', 'inst-a:8']);
      expect(s.counters.alreadyStored).toBe(2);
    });

    it('puts the records of each coin in its own stream', async () => {
      const s = store();
      await s.start();
      await Promise.all([s.record(share(1)), s.record(share(2, { coin: 'bch' })), s.record(share(3))]);
      const admin = client();
      expect(await streamIds(admin)).toEqual(['inst-a:1', 'inst-a:3']);
      const bch = await admin.xrange(keys.shares('bch'), '-', '+');
      expect(bch.map(([, fields]) => shareRecordFromFields('bch', fields))).toEqual([share(2, { coin: 'bch' })]);
    });

    it('keeps the order of many records in flight at once', async () => {
      const s = store();
      await s.start();
      await Promise.all(range(0, 3000).map((i) => s.record(share(i))));
      expect(await streamIds(client())).toEqual(range(0, 3000).map((i) => `inst-a:${i}`));
      expect(s.counters).toMatchObject({ recorded: 3000, spooled: 0 });
    });

    it('works on a client without auto-pipelining (the harness client)', async () => {
      const s = new RedisShareStore({ redis: server.client(), keys, spoolFile: join(dir, 'plain.spool') });
      stores.push(s);
      await s.start();
      await Promise.all(range(0, 10).map((i) => s.record(share(i))));
      expect(await client().xlen(keys.shares('btc'))).toBe(10);
    });

    it('rejects a record whose number is not finite, and spools nothing', async () => {
      const s = store();
      await s.start();
      const bad = share(1, { difficulty: Number.NaN });
      await expect(s.record(bad)).rejects.toThrow(/difficulty is NaN/);
      const big = share(2, { height: 840000n as unknown as number });
      await expect(s.record(big)).rejects.toThrow(LodeError);
      expect(s.counters).toMatchObject({ recorded: 0, spooled: 0 });
    });

    it('refuses a client that auto-pipelines without resending (a lost pipeline would block it for good)', () => {
      const redis = client({ autoResendUnfulfilledCommands: false });
      expect(() => new RedisShareStore({ redis, keys, spoolFile: join(dir, 'x.spool') })).toThrow(/autoResendUnfulfilledCommands/);
    });

    it('refuses records before start and after stop', async () => {
      const s = store();
      await expect(s.record(share(1))).rejects.toThrow(/not started/);
      await s.start();
      await s.stop();
      await expect(s.record(share(1))).rejects.toThrow(/stopped/);
    });
  });

  describe('when Redis is down', () => {
    it('spools records as JSON lines and still resolves', async () => {
      const s = store();
      await s.start();
      await server.kill();
      await Promise.all(range(0, 5).map((i) => s.record(share(i))));
      expect(spoolLines().map((l) => (JSON.parse(l) as ShareRecord).id)).toEqual(range(0, 5).map((i) => `inst-a:${i}`));
      expect(s.counters).toMatchObject({ recorded: 0, spooled: 5, spoolDepth: 5 });
    });

    it('replays the spool in order once Redis is back, then empties it and writes directly again', async () => {
      const s = store({ replayBatch: 7 });
      await s.start();
      await server.kill();
      for (const i of range(0, 50)) await s.record(share(i));
      await server.restart();
      await until(() => s.counters.spoolDepth === 0);
      const admin = client();
      expect(await streamIds(admin)).toEqual(range(0, 50).map((i) => `inst-a:${i}`));
      expect(statSync(join(dir, 'shares.spool')).size).toBe(0);
      expect(s.counters).toMatchObject({ spooled: 50, replayed: 50, spoolDepth: 0 });
      await s.record(share(50));
      expect(s.counters.recorded).toBe(1);
      expect(await admin.xlen(keys.shares('btc'))).toBe(51);
    });

    it('rejects with LodeError(store) when the spool cannot be written either', async () => {
      const s = store({ spoolFile: '/dev/full' });
      await s.start();
      await server.kill();
      const error: unknown = await s.record(share(1)).catch((e: unknown) => e);
      expect(LodeError.is(error, 'store')).toBe(true);
    });
  });

  describe('when Redis answers too late', () => {
    it('spools the records that timed out and stores each once after all', async () => {
      const admin = client();
      const s = store({ commandTimeoutMs: 100, retryIntervalMs: 50 });
      await s.start();
      // scripts are write commands: they wait on the server while writes are paused
      await admin.call('CLIENT', 'PAUSE', '1500', 'WRITE');
      await Promise.all(range(0, 10).map((i) => s.record(share(i))));
      expect(s.counters).toMatchObject({ recorded: 0, spooled: 10 });
      await until(() => s.counters.spoolDepth === 0);
      expect(await streamIds(admin)).toEqual(range(0, 10).map((i) => `inst-a:${i}`));
      expect(s.counters.alreadyStored).toBe(10);
    });
  });

  describe('when a new process starts on a spool left by an earlier one', () => {
    it('replays it at start(), each coin to its stream in order', async () => {
      const first = store();
      await first.start();
      await server.kill();
      await Promise.all(range(0, 20).map((i) => first.record(share(i))));
      await Promise.all(range(20, 25).map((i) => first.record(share(i, { coin: 'bch' }))));
      await first.stop();
      await server.restart();
      const second = store();
      await second.start();
      const admin = client();
      expect(await streamIds(admin)).toEqual(range(0, 20).map((i) => `inst-a:${i}`));
      expect(await admin.xlen(keys.shares('bch'))).toBe(5);
      expect(second.counters).toMatchObject({ replayed: 25, spoolDepth: 0 });
    });

    it('drops the half-written last line of a killed process and replays the rest', async () => {
      writeFileSync(join(dir, 'shares.spool'), `${JSON.stringify(share(1))}\n${JSON.stringify(share(2))}\n{"id":"inst-a:3`);
      const s = store();
      await s.start();
      expect(await streamIds(client())).toEqual(['inst-a:1', 'inst-a:2']);
    });
  });

  describe('when a replay is cut short', () => {
    it('by the process dying after part of it was stored, the next start stores the rest and nothing twice', async () => {
      const first = store();
      await first.start();
      await server.kill();
      await Promise.all(range(0, 40).map((i) => first.record(share(i))));
      await first.stop();
      await server.restart();
      // what the dead process's replay got into Redis before it died
      const partial = store({ spoolFile: join(dir, 'other.spool') });
      await partial.start();
      await Promise.all(range(0, 15).map((i) => partial.record(share(i))));
      const second = store();
      await second.start();
      expect(await streamIds(client())).toEqual(range(0, 40).map((i) => `inst-a:${i}`));
      expect(second.counters).toMatchObject({ replayed: 40, spoolDepth: 0 });
      // at least the 15 the dead replay stored; more when the stopped store's client
      // reconnected to the restarted Redis first (timing), never a second copy in the stream
      expect(second.counters.alreadyStored).toBeGreaterThanOrEqual(15);
    });

    async function replayThroughACrash(s: RedisShareStore, n: number): Promise<string[]> {
      await s.start();
      await server.kill();
      for (const i of range(0, n)) await s.record(share(i));
      await server.restart();
      await until(() => s.counters.replayed > 0);
      await server.kill();
      expect(s.counters.spoolDepth).toBeGreaterThan(0);
      await server.restart();
      await until(() => s.counters.spoolDepth === 0);
      return streamIds(client());
    }

    it('by Redis dying mid-replay, it completes later with every record once', async () => {
      const n = 20000;
      const ids = await replayThroughACrash(store({ replayBatch: 10 }), n);
      // The server kept nothing across the kill, so the pass started over; the client sent the
      // commands it held (in flight or queued offline) as soon as it reconnected, so they may come first.
      expect(ids).toHaveLength(n);
      expect([...ids].sort()).toEqual(range(0, n).map((i) => `inst-a:${i}`).sort());
    });

    it('by Redis dying mid-replay, on a client that neither queues nor resends, it keeps the exact order', async () => {
      const n = 20000;
      const redisOptions = { autoResendUnfulfilledCommands: false, enableOfflineQueue: false, enableAutoPipelining: false };
      const ids = await replayThroughACrash(store({ replayBatch: 10 }, redisOptions), n);
      expect(ids).toEqual(range(0, n).map((i) => `inst-a:${i}`));
    });
  });
});
