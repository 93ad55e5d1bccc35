import type Redis from 'ioredis';
import { filter, firstValueFrom, merge, take, toArray } from 'rxjs';
import { pplnsSplit, propSplit, soloSplit, type RewardSplit } from '@lode/pool-engine';
import { LodeError } from '@lode/stratum-core';
import { startTestRedis, type TestRedis } from '../testing/redis-server';
import type { AccountingEvent } from './accounting-event';
import type { AccountingScheme } from './accounting-scheme';
import { ShareAccountant } from './share-accountant';
import type { ShareAccountantOptions } from './share-accountant-options';

const STREAM = 'lode:{btc}:shares';
// facts/bitcoin-stratum.md "Targets": D * 2^48 / 65535 hashes per share at difficulty D
const HASHES_PER_DIFFICULTY = 2 ** 48 / 65535;
// The block subsidy at height 100000: 50 BTC (facts/bitcoin-blocks.md, block 100000's coinbase)
const REWARD = 5_000_000_000n;

type EntryEvent = Exclude<AccountingEvent, { kind: 'block' }>;

let seq = 0;
let now = 0;

/** a stream entry in RedisShareStore's format; accepted, difficulty 1, worker A unless overridden */
function entry(over: Record<string, string> = {}): Record<string, string> {
  seq += 1;
  return {
    id: `i1:${seq}`,
    instance: 'i1',
    worker: 'A',
    job: '1',
    height: '100000',
    difficulty: '1',
    shareDifficulty: '1.5',
    networkDifficulty: '1000',
    verdict: 'accepted',
    message: '',
    blockHash: '',
    versionBits: '',
    remote: '127.0.0.1:50000',
    time: String(now - 1000),
    ...over,
  };
}

async function xadd(client: Redis, fields: Record<string, string>, stream = STREAM): Promise<string> {
  return (await client.xadd(stream, '*', ...Object.entries(fields).flat())) as string;
}

/** the shares A:1, B:1, A:2, C:4 (C is the block) as the stream carries them, and as the splits take them */
function roundOfFour(): { entries: Record<string, string>[]; shares: { worker: string; difficulty: number }[] } {
  const shares = [
    { worker: 'A', difficulty: 1 },
    { worker: 'B', difficulty: 1 },
    { worker: 'A', difficulty: 2 },
    { worker: 'C', difficulty: 4 },
  ];
  const entries = shares.map((s, i) =>
    entry({ worker: s.worker, difficulty: String(s.difficulty), ...(i === 3 ? { blockHash: '00'.repeat(31) + 'ab' } : {}) }),
  );
  return { entries, shares };
}

function asStrings(split: RewardSplit): Record<string, string> {
  return Object.fromEntries([...split].map(([w, a]) => [w, a.toString()]));
}

describe('ShareAccountant', () => {
  let redis: TestRedis;
  let client: Redis;
  const accountants: ShareAccountant[] = [];

  beforeEach(async () => {
    redis = await startTestRedis();
    client = redis.client();
    // connected before the test, so that stop() never cuts a connection attempt short
    await client.ping();
    now = Date.now();
  });
  afterEach(async () => {
    for (const a of accountants.splice(0)) await a.stop();
    await redis.stop();
  });

  function accountant(over: Partial<ShareAccountantOptions> = {}, scheme: AccountingScheme = { kind: 'prop' }): ShareAccountant {
    const a = new ShareAccountant({ redis: redis.client(), coins: ['btc'], consumer: 'c1', scheme, clock: () => now, retryMs: 50, ...over });
    accountants.push(a);
    return a;
  }

  /** resolves with the next `n` entry events (share or skipped) of the accountants */
  function entriesDone(n: number, ...from: ShareAccountant[]): Promise<EntryEvent[]> {
    return firstValueFrom(
      merge(...from.map((a) => a.events$)).pipe(
        filter((e): e is EntryEvent => e.kind !== 'block'),
        take(n),
        toArray(),
      ),
    );
  }

  describe('when accepted and rejected shares arrive', () => {
    it('counts them per worker and in total, with hashrate over the window and the round', async () => {
      const acct = accountant();
      const done = entriesDone(5, acct);
      await acct.start();
      await xadd(client, entry({ worker: 'A', difficulty: '4', time: String(now - 1000) }));
      await xadd(client, entry({ worker: 'B', difficulty: '2', time: String(now - 2000) }));
      await xadd(client, entry({ worker: 'A', difficulty: '0', verdict: 'duplicate', time: String(now - 500) }));
      await xadd(client, entry({ worker: 'B', difficulty: '0', verdict: 'stale', time: String(now - 3000) }));
      // older than the 600 s window: counted, but not in the hashrate
      await xadd(client, entry({ worker: 'A', difficulty: '8', time: String(now - 700_000) }));
      await done;

      const stats = await acct.stats('btc');
      expect(stats.windowSeconds).toBe(600);
      // 4 + 2 in the window; 4 + 2 + 8 credited in total
      expect(stats.pool.hashrate / ((6 * HASHES_PER_DIFFICULTY) / 600)).toBeCloseTo(1, 12);
      expect(stats.pool).toMatchObject({
        accepted: 3,
        creditedDifficulty: 14,
        rejected: { duplicate: 1, stale: 1 },
        rejectedTotal: 2,
        lastShare: now - 500,
        blocks: 0,
        round: { A: 12, B: 2 },
        roundNumber: 1,
        roundDifficulty: 14,
        roundStartedAt: now - 1000,
      });
      expect(stats.workers.map((w) => w.worker)).toEqual(['A', 'B']);
      const a = stats.workers[0];
      expect(a).toMatchObject({ accepted: 2, creditedDifficulty: 12, rejected: { duplicate: 1 }, rejectedTotal: 1, lastShare: now - 500, roundDifficulty: 12 });
      expect(a.hashrate / ((4 * HASHES_PER_DIFFICULTY) / 600)).toBeCloseTo(1, 12);
      expect(await acct.worker('btc', 'B')).toMatchObject({ accepted: 1, creditedDifficulty: 2, rejected: { stale: 1 }, rejectedTotal: 1, lastShare: now - 2000 });
      expect(await acct.worker('btc', 'nobody')).toBeUndefined();
    });

    it('skips and acks entries it cannot account', async () => {
      const acct = accountant();
      const done = entriesDone(3, acct);
      await acct.start();
      await xadd(client, entry({ verdict: '' }));
      await xadd(client, entry({ difficulty: 'abc' }));
      await xadd(client, entry());
      const events = await done;
      expect(events.map((e) => e.kind)).toEqual(['skipped', 'skipped', 'share']);
      expect((await acct.stats('btc')).pool.accepted).toBe(1);
      expect(await client.xpending(STREAM, 'accounting')).toEqual([0, null, null, null]);
    });

    it('refuses a coin it does not account', async () => {
      const acct = accountant();
      expect((await acct.stats('btc')).workers).toEqual([]);
      await expect(acct.stats('ltc')).rejects.toThrow("coin 'ltc' is not accounted here (coins: btc)");
      await expect(acct.blocks('ltc')).rejects.toThrow(LodeError);
    });
  });

  describe('when the same share id is written twice', () => {
    it('counts it once', async () => {
      const acct = accountant();
      const done = entriesDone(2, acct);
      await acct.start();
      const once = entry({ difficulty: '3' });
      await xadd(client, once);
      await xadd(client, once);
      expect((await done).map((e) => e.kind === 'share' && e.applied)).toEqual([true, false]);
      expect((await acct.stats('btc')).pool).toMatchObject({ accepted: 1, creditedDifficulty: 3 });
    });
  });

  describe('when the accountant restarts mid-stream', () => {
    it('reads its pending entries first and counts nothing twice', async () => {
      const first = accountant();
      const firstDone = entriesDone(3, first);
      await first.start();
      const early = [entry(), entry(), entry()];
      for (const e of early) await xadd(client, e);
      await firstDone;
      await first.stop();

      // Delivered to c1 but never applied (as if it crashed right after reading), then one more entry,
      // and a copy of an entry that was already counted.
      await xadd(client, entry());
      await xadd(client, entry());
      await client.xreadgroup('GROUP', 'accounting', 'c1', 'COUNT', 2, 'STREAMS', STREAM, '>');
      await xadd(client, entry());
      await xadd(client, early[0]);

      const second = accountant();
      const secondDone = entriesDone(4, second);
      await second.start();
      const events = await secondDone;
      expect(events.map((e) => e.kind === 'share' && e.applied)).toEqual([true, true, true, false]);
      expect((await second.stats('btc')).pool.accepted).toBe(6);
      expect(await client.xpending(STREAM, 'accounting')).toEqual([0, null, null, null]);
    });
  });

  describe('when another consumer died with entries pending', () => {
    it('claims them and accounts them', async () => {
      await client.xgroup('CREATE', STREAM, 'accounting', '0', 'MKSTREAM');
      for (let i = 0; i < 3; i++) await xadd(client, entry());
      await client.xreadgroup('GROUP', 'accounting', 'dead', 'COUNT', 3, 'STREAMS', STREAM, '>');
      const live = accountant({ consumer: 'live', claimIdleMs: 0 });
      const done = entriesDone(3, live);
      await live.start();
      await done;
      expect((await live.stats('btc')).pool.accepted).toBe(3);
      expect(await client.xpending(STREAM, 'accounting')).toEqual([0, null, null, null]);
    });
  });

  describe('when two consumers share the group', () => {
    it('splits the entries between them and counts each share once', async () => {
      const a = accountant({ consumer: 'a', batchSize: 5 });
      const b = accountant({ consumer: 'b', batchSize: 5 });
      const done = entriesDone(220, a, b);
      await Promise.all([a.start(), b.start()]);
      const written: Record<string, string>[] = [];
      for (let i = 0; i < 200; i++) {
        const e = entry({ worker: `w${i % 4}`, difficulty: '0.5' });
        written.push(e);
        await xadd(client, e);
      }
      for (let i = 0; i < 20; i++) await xadd(client, written[i * 10]);
      const events = await done;

      const byConsumer = (name: string) => events.filter((e) => e.consumer === name).length;
      expect(byConsumer('a')).toBeGreaterThan(0);
      expect(byConsumer('b')).toBeGreaterThan(0);
      expect(new Set(events.map((e) => e.entryId)).size).toBe(220);
      expect(events.filter((e) => e.kind === 'share' && e.applied)).toHaveLength(200);
      const stats = await a.stats('btc');
      expect(stats.pool).toMatchObject({ accepted: 200, creditedDifficulty: 100, round: { w0: 25, w1: 25, w2: 25, w3: 25 } });
    });
  });

  describe('when a block is found under PROP', () => {
    it('records it with its finder and round, splits it as propSplit does and starts a new round', async () => {
      const acct = accountant({}, { kind: 'prop' });
      const { entries, shares } = roundOfFour();
      const done = entriesDone(5, acct);
      await acct.start();
      for (const e of entries) await xadd(client, e);
      await xadd(client, entry({ worker: 'D', difficulty: '1' }));
      await done;

      const [block] = await acct.blocks('btc');
      // A 3/8, B 1/8, C 4/8 of 5_000_000_000
      const expected = { A: '1875000000', B: '625000000', C: '2500000000' };
      expect(asStrings(propSplit(shares, REWARD))).toEqual(expected);
      expect(block).toEqual({
        shareId: entries[3]['id'],
        height: 100000,
        hash: '00'.repeat(31) + 'ab',
        finder: 'C',
        time: now - 1000,
        reward: '5000000000',
        scheme: 'prop',
        roundNumber: 1,
        roundDifficulty: 8,
        roundStartedAt: now - 1000,
        round: { A: 3, B: 1, C: 4 },
        split: expected,
        status: 'split',
      });
      const stats = await acct.stats('btc');
      expect(stats.pool).toMatchObject({ blocks: 1, roundNumber: 2, round: { D: 1 }, roundDifficulty: 1, accepted: 5 });
      expect(await client.xpending(STREAM, 'accounting')).toEqual([0, null, null, null]);
      // the round snapshot is dropped once the split is stored
      expect(await client.keys('lode:{btc}:acct:block:*')).toEqual([]);
    });
  });

  describe('when blocks are found under PPLNS', () => {
    it('splits each over the last N of difficulty, across rounds, as pplnsSplit does', async () => {
      const acct = accountant({}, { kind: 'pplns', windowDifficulty: 6 });
      const { entries, shares } = roundOfFour();
      const second = entry({ worker: 'D', difficulty: '2', blockHash: '00'.repeat(31) + 'cd' });
      const done = entriesDone(5, acct);
      await acct.start();
      for (const e of entries) await xadd(client, e);
      await xadd(client, second);
      await done;

      const [newest, oldest] = await acct.blocks('btc');
      // block 1, window C:4, A:2: A floor(5e9 * 2/6) = 1_666_666_666, C floor(5e9 * 4/6) = 3_333_333_333,
      // remainder 1 to C (largest) -> 3_333_333_334
      const first = { C: '3333333334', A: '1666666666' };
      expect(asStrings(pplnsSplit(shares, REWARD, 6))).toEqual(first);
      expect(oldest).toMatchObject({ finder: 'C', scheme: 'pplns', windowDifficulty: 6, round: { A: 3, B: 1, C: 4 }, split: first, status: 'split' });
      // block 2, window D:2, C:4 (C from the previous round): D floor(5e9 / 3) = 1_666_666_666,
      // C floor(5e9 * 2/3) = 3_333_333_333, remainder 1 to C -> 3_333_333_334
      const secondSplit = { D: '1666666666', C: '3333333334' };
      expect(asStrings(pplnsSplit([...shares, { worker: 'D', difficulty: 2 }], REWARD, 6))).toEqual(secondSplit);
      expect(newest).toMatchObject({ finder: 'D', roundNumber: 2, round: { D: 2 }, roundDifficulty: 2, split: secondSplit, status: 'split' });
      // the window keeps only what N needs (plus the boundary share)
      expect(await client.llen('lode:{btc}:acct:window')).toBeLessThanOrEqual(3);
    });
  });

  describe('when a block is found under SOLO', () => {
    it('gives the whole reward to the finder', async () => {
      const acct = accountant({}, { kind: 'solo' });
      const { entries } = roundOfFour();
      const done = entriesDone(4, acct);
      await acct.start();
      for (const e of entries) await xadd(client, e);
      await done;
      const [block] = await acct.blocks('btc');
      expect(block.split).toEqual(asStrings(soloSplit('C', REWARD)));
      expect(block).toMatchObject({ finder: 'C', scheme: 'solo', round: { A: 3, B: 1, C: 4 }, status: 'split', split: { C: '5000000000' } });
    });
  });

  describe('when blockReward is given', () => {
    it('splits what it returns for the coin and height', async () => {
      const asked: string[] = [];
      const acct = accountant({
        blockReward: (coin, height) => {
          asked.push(`${coin}@${height}`);
          return 800_000_000n;
        },
      });
      const { entries } = roundOfFour();
      const done = entriesDone(4, acct);
      await acct.start();
      for (const e of entries) await xadd(client, e);
      await done;
      expect(asked).toEqual(['btc@100000']);
      const [block] = await acct.blocks('btc', 1);
      expect(block).toMatchObject({ reward: '800000000', split: { A: '300000000', B: '100000000', C: '400000000' } });
    });
  });

  describe('when it accounts several coins', () => {
    it('keeps each coin apart', async () => {
      const acct = accountant({ coins: ['btc', 'ltc'] });
      const done = entriesDone(3, acct);
      await acct.start();
      await xadd(client, entry({ difficulty: '2' }));
      await xadd(client, entry({ difficulty: '5' }), 'lode:{ltc}:shares');
      await xadd(client, entry({ difficulty: '7' }), 'lode:{ltc}:shares');
      await done;
      expect((await acct.stats('btc')).pool.creditedDifficulty).toBe(2);
      expect((await acct.stats('ltc')).pool.creditedDifficulty).toBe(12);
    });
  });

  describe('when Redis restarts empty', () => {
    it('recreates its group and goes on reading', async () => {
      const acct = accountant();
      const before = entriesDone(1, acct);
      await acct.start();
      await xadd(client, entry());
      await before;
      await redis.kill();
      await redis.restart();
      const after = entriesDone(1, acct);
      // the producer's client reconnects on its own; the stream is recreated by XADD
      const producer = redis.client();
      await xadd(producer, entry({ difficulty: '9' }));
      await after;
      expect((await acct.stats('btc')).pool).toMatchObject({ accepted: 1, creditedDifficulty: 9 });
    });
  });

  describe('when options are out of range', () => {
    it('throws LodeError(config) naming the option', () => {
      const base = { redis: {} as Redis, coins: ['btc'], consumer: 'c', scheme: { kind: 'prop' } as AccountingScheme };
      expect(() => new ShareAccountant({ ...base, coins: [] })).toThrow(/at least one coin/);
      expect(() => new ShareAccountant({ ...base, coins: ['btc', 'btc'] })).toThrow(/twice/);
      expect(() => new ShareAccountant({ ...base, coins: ['b{t}c'] })).toThrow(/hash tag/);
      expect(() => new ShareAccountant({ ...base, consumer: '' })).toThrow(/consumer is empty/);
      expect(() => new ShareAccountant({ ...base, scheme: { kind: 'pplns', windowDifficulty: 0 } })).toThrow(/windowDifficulty is 0/);
      expect(() => new ShareAccountant({ ...base, windowSeconds: -1 })).toThrow(/windowSeconds is -1/);
    });
  });
});
