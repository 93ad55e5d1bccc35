import type { FoundBlock, StatsSnapshot } from '@lode/pool-engine';
import { LodeError, silentLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';
import type { PortInfo } from './port-info';
import type { AccountedBlock, AccountedStats, AccountingReader, EngineStatsReader } from './read-api-sources';
import { startReadApi, type RunningReadApi } from './start-read-api';

/** The accounting of 'btc': two workers of one address, a look-alike address, another miner, two blocks. */
function accountant(): AccountingReader & { hashrate: number; fail: boolean; calls: string[] } {
  const fake = {
    coins: ['btc'],
    hashrate: 3e9,
    fail: false,
    calls: [] as string[],
    async stats(coin: string): Promise<AccountedStats> {
      fake.calls.push(`stats ${coin}`);
      if (fake.fail) throw new LodeError('store', 'redis is down');
      return {
        time: 50_000,
        windowSeconds: 600,
        pool: { hashrate: fake.hashrate },
        workers: [
          { worker: 'other', hashrate: 0, accepted: 1, rejected: { duplicate: 1 }, rejectedTotal: 1, lastShare: 10_000 },
          { worker: 'bc1qminer.rig2', hashrate: 1e9, accepted: 20, rejected: {}, rejectedTotal: 0, lastShare: 48_000 },
          { worker: 'bc1qminerX.rig', hashrate: 5e8, accepted: 9, rejected: { stale: 4 }, rejectedTotal: 4, lastShare: 47_000 },
          { worker: 'bc1qminer.rig1', hashrate: 2e9, accepted: 40, rejected: { stale: 2, 'low-difficulty': 1 }, rejectedTotal: 3, lastShare: 49_000 },
        ],
      };
    },
    async blocks(coin: string, limit: number): Promise<AccountedBlock[]> {
      fake.calls.push(`blocks ${coin} ${limit}`);
      const newestFirst: AccountedBlock[] = [
        {
          height: 12,
          hash: 'cc',
          finder: 'bc1qminer.rig2',
          time: 45_000,
          reward: '5000000000',
          split: { 'bc1qminer.rig1': '2000000000', 'bc1qminer.rig2': '1000000000', 'bc1qminerX.rig': '1500000000', other: '500000000' },
        },
        { height: 11, hash: 'bb', finder: 'other', time: 30_000, reward: '5000000000', split: { 'bc1qminer.rig1': '2500000000', other: '2500000000' } },
      ];
      return newestFirst.slice(0, limit);
    },
    async worker() {
      return undefined;
    },
  };
  return fake;
}

/** An in-memory engine of 'ltc' whose hashrate the test sets, and whose blocks it emits. */
function engine(): EngineStatsReader & { hashrate: number; found: Subject<FoundBlock> } {
  const fake = {
    hashrate: 0,
    found: new Subject<FoundBlock>(),
    get blocks$() {
      return fake.found.asObservable();
    },
    stats: {
      snapshot(): StatsSnapshot {
        return {
          time: 9_000,
          windowSeconds: 300,
          pool: { accepted: 7, creditedDifficulty: 7, rejected: { stale: 1 }, rejectedTotal: 1, hashrate: fake.hashrate, workers: 2 },
          workers: [
            { worker: 'Lminer.a', accepted: 5, creditedDifficulty: 5, rejected: { stale: 1 }, rejectedTotal: 1, lastShareTime: 8_000, hashrate: fake.hashrate },
            { worker: 'Lminer.b', accepted: 2, creditedDifficulty: 2, rejected: {}, rejectedTotal: 0, lastShareTime: 0, hashrate: 0 },
          ],
        };
      },
    },
  };
  return fake;
}

const PORTS: PortInfo[] = [
  {
    name: 'main',
    coin: 'btc',
    dialect: 'bitcoin',
    host: '127.0.0.1',
    port: 3333,
    tls: false,
    urls: ['stratum+tcp://127.0.0.1:3333'],
    difficulty: 0.001,
    vardiff: true,
    connections: 2,
    connectionsTotal: 5,
    sharesAccepted: 60,
    sharesRejected: 3,
  },
];

describe('startReadApi (dashboard data)', () => {
  let api: RunningReadApi;
  let acct: ReturnType<typeof accountant>;
  let ltc: ReturnType<typeof engine>;
  let now: number;

  beforeEach(async () => {
    acct = accountant();
    ltc = engine();
    now = 100_000;
    api = await startReadApi(
      {
        host: '127.0.0.1',
        port: 0,
        accountant: acct,
        engines: new Map([['ltc', ltc]]),
        ports: () => PORTS,
        historyIntervalSeconds: 3600,
        historyPoints: 3,
        clock: () => now,
      },
      silentLogger,
    );
  });
  afterEach(async () => api.close());

  async function get(path: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${api.url}${path}`);
    return { status: res.status, body: await res.json() };
  }

  describe('/api/history/:coin', () => {
    it('holds the sample taken at start, then one per sampleHistory(), oldest first, bounded by historyPoints', async () => {
      expect(await get('/api/history/btc')).toEqual({
        status: 200,
        body: { coin: 'btc', intervalSeconds: 3600, capacity: 3, points: [{ time: 100_000, hashrate: 3e9, workers: 3 }] },
      });
      for (const [time, rate] of [
        [101_000, 2e9],
        [102_000, 1e9],
        [103_000, 4e9],
      ] as const) {
        now = time;
        acct.hashrate = rate;
        ltc.hashrate = rate / 1000;
        await api.sampleHistory();
      }
      const btc = await get('/api/history/btc');
      expect((btc.body as { points: unknown[] }).points).toEqual([
        { time: 101_000, hashrate: 2e9, workers: 3 },
        { time: 102_000, hashrate: 1e9, workers: 3 },
        { time: 103_000, hashrate: 4e9, workers: 3 },
      ]);
      // the engine's coin: its own snapshot, workers counted when their hashrate is above 0
      const ltcPoints = (await get('/api/history/ltc')).body as { points: unknown[] };
      expect(ltcPoints.points).toEqual([
        { time: 101_000, hashrate: 2e6, workers: 1 },
        { time: 102_000, hashrate: 1e6, workers: 1 },
        { time: 103_000, hashrate: 4e6, workers: 1 },
      ]);
    });

    it('answers only the samples after ?since=, and 400 for a since that is not a time', async () => {
      now = 101_000;
      await api.sampleHistory();
      expect(((await get('/api/history/btc?since=100000')).body as { points: unknown[] }).points).toEqual([{ time: 101_000, hashrate: 3e9, workers: 3 }]);
      for (const bad of ['-1', 'yesterday', '1.5']) {
        expect(await get(`/api/history/btc?since=${bad}`)).toEqual({
          status: 400,
          body: { error: `since is '${bad}'; it must be a time in ms since epoch (an integer >= 0)` },
        });
      }
    });

    it('skips the sample of a coin whose store fails and keeps the others', async () => {
      acct.fail = true;
      now = 101_000;
      await api.sampleHistory();
      expect(((await get('/api/history/btc')).body as { points: { time: number }[] }).points.map((p) => p.time)).toEqual([100_000]);
      expect(((await get('/api/history/ltc')).body as { points: { time: number }[] }).points.map((p) => p.time)).toEqual([100_000, 101_000]);
    });

    it('answers 404 for a coin not served', async () => {
      expect(await get('/api/history/doge')).toEqual({ status: 404, body: { error: "coin 'doge' is not served here (served: btc, ltc)" } });
    });
  });

  describe('/api/workers/:coin', () => {
    it('lists the accounting workers highest hashrate first, stale split out, reasons by count', async () => {
      const res = await get('/api/workers/btc');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        coin: 'btc',
        time: 50_000,
        windowSeconds: 600,
        total: 4,
        workers: [
          { worker: 'bc1qminer.rig1', hashrate: 2e9, accepted: 40, stale: 2, rejectedTotal: 3, rejected: { stale: 2, 'low-difficulty': 1 }, lastShare: 49_000 },
          { worker: 'bc1qminer.rig2', hashrate: 1e9, accepted: 20, stale: 0, rejectedTotal: 0, rejected: {}, lastShare: 48_000 },
          { worker: 'bc1qminerX.rig', hashrate: 5e8, accepted: 9, stale: 4, rejectedTotal: 4, rejected: { stale: 4 }, lastShare: 47_000 },
          { worker: 'other', hashrate: 0, accepted: 1, stale: 0, rejectedTotal: 1, rejected: { duplicate: 1 }, lastShare: 10_000 },
        ],
      });
    });

    it('cuts the list at ?limit= and keeps the total', async () => {
      const res = (await get('/api/workers/btc?limit=1')).body as { total: number; workers: { worker: string }[] };
      expect(res.total).toBe(4);
      expect(res.workers.map((w) => w.worker)).toEqual(['bc1qminer.rig1']);
      expect(await get('/api/workers/btc?limit=10001')).toEqual({ status: 400, body: { error: "limit is '10001'; it must be an integer from 1 to 10000" } });
    });

    it("lists an engine's workers from its snapshot, a worker without shares with lastShare null", async () => {
      ltc.hashrate = 12.5;
      expect((await get('/api/workers/ltc')).body).toEqual({
        coin: 'ltc',
        time: 9_000,
        windowSeconds: 300,
        total: 2,
        workers: [
          { worker: 'Lminer.a', hashrate: 12.5, accepted: 5, stale: 1, rejectedTotal: 1, rejected: { stale: 1 }, lastShare: 8_000 },
          { worker: 'Lminer.b', hashrate: 0, accepted: 2, stale: 0, rejectedTotal: 0, rejected: {}, lastShare: null },
        ],
      });
    });

    it('answers 503 when the accounting store fails', async () => {
      acct.fail = true;
      expect(await get('/api/workers/btc')).toEqual({ status: 503, body: { error: 'the statistics store is unavailable' } });
    });
  });

  describe('/api/miners/:coin/:address', () => {
    it('sums the workers named "<address>" or "<address>.<rig>", with the blocks they found and their credited reward', async () => {
      const res = await get('/api/miners/btc/bc1qminer');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        coin: 'btc',
        address: 'bc1qminer',
        time: 50_000,
        windowSeconds: 600,
        hashrate: 3e9,
        accepted: 60,
        stale: 2,
        rejectedTotal: 3,
        rejected: { stale: 2, 'low-difficulty': 1 },
        lastShare: 49_000,
        workers: [
          { worker: 'bc1qminer.rig1', hashrate: 2e9, accepted: 40, stale: 2, rejectedTotal: 3, rejected: { stale: 2, 'low-difficulty': 1 }, lastShare: 49_000 },
          { worker: 'bc1qminer.rig2', hashrate: 1e9, accepted: 20, stale: 0, rejectedTotal: 0, rejected: {}, lastShare: 48_000 },
        ],
        blocksConsidered: 2,
        blocksFound: [expect.objectContaining({ height: 12, finder: 'bc1qminer.rig2' })],
        // 2000000000 + 1000000000 (block 12) + 2500000000 (block 11); bc1qminerX is another address
        credited: '5500000000',
      });
      expect(acct.calls).toContain('blocks btc 20');
    });

    it('looks at ?blocks= of the most recent blocks and refuses a count out of range', async () => {
      expect(((await get('/api/miners/btc/bc1qminer?blocks=1')).body as { credited: string; blocksConsidered: number })).toMatchObject({
        blocksConsidered: 1,
        credited: '3000000000',
      });
      expect(await get('/api/miners/btc/bc1qminer?blocks=0')).toEqual({ status: 400, body: { error: "blocks is '0'; it must be an integer from 1 to 1000" } });
    });

    it('answers 404 for an address with no workers, a prefix of a worker name included', async () => {
      expect(await get('/api/miners/btc/bc1q')).toEqual({ status: 404, body: { error: "address 'bc1q' has no workers on 'btc'" } });
      expect(await get('/api/miners/btc/rig1')).toEqual({ status: 404, body: { error: "address 'rig1' has no workers on 'btc'" } });
    });

    it('answers a worker named exactly as the address, percent-decoded', async () => {
      expect(((await get('/api/miners/btc/other')).body as { workers: { worker: string }[] }).workers.map((w) => w.worker)).toEqual(['other']);
      expect((await get('/api/miners/btc/bc1qminer%2Erig1')).body).toMatchObject({ address: 'bc1qminer.rig1', accepted: 40 });
    });

    it('answers an engine coin without a credited reward (no accounting), with the blocks it found', async () => {
      now = 7_000;
      ltc.found.next({ height: 3, hash: 'dd', accepted: true, worker: 'Lminer.a' });
      expect((await get('/api/miners/ltc/Lminer')).body).toMatchObject({
        accepted: 7,
        stale: 1,
        lastShare: 8_000,
        blocksConsidered: 1,
        blocksFound: [{ height: 3, hash: 'dd', finder: 'Lminer.a', time: 7_000, accepted: true }],
        credited: null,
      });
    });
  });

  describe('/api/blocks/:coin for a coin no accounting covers', () => {
    it("answers the blocks this instance's engine found, newest first, with the node's verdict", async () => {
      expect(await get('/api/blocks/ltc')).toEqual({ status: 200, body: [] });
      now = 7_000;
      ltc.found.next({ height: 3, hash: 'dd', accepted: true, worker: 'Lminer.a' });
      now = 8_000;
      ltc.found.next({ height: 4, hash: 'ee', accepted: false, reason: 'high-hash', worker: 'Lminer.b' });
      expect(await get('/api/blocks/ltc')).toEqual({
        status: 200,
        body: [
          { height: 4, hash: 'ee', finder: 'Lminer.b', time: 8_000, accepted: false, reason: 'high-hash' },
          { height: 3, hash: 'dd', finder: 'Lminer.a', time: 7_000, accepted: true },
        ],
      });
      expect(((await get('/api/blocks/ltc?limit=1')).body as { height: number }[]).map((b) => b.height)).toEqual([4]);
    });

    it('stops listening to the engine when closed', async () => {
      await api.close();
      expect(ltc.found.observed).toBe(false);
    });
  });

  describe('/api/ports', () => {
    it('answers the ports the getter gives, read on each request', async () => {
      expect(await get('/api/ports')).toEqual({ status: 200, body: { ports: PORTS } });
      PORTS[0]!.connections = 3;
      expect(((await get('/api/ports')).body as { ports: PortInfo[] }).ports[0]?.connections).toBe(3);
      PORTS[0]!.connections = 2;
    });
  });
});

describe('startReadApi (dashboard data)', () => {
  describe('when it has no ports getter', () => {
    it('answers an empty port list', async () => {
      const api = await startReadApi({ host: '127.0.0.1', port: 0 }, silentLogger);
      try {
        expect(await (await fetch(`${api.url}/api/ports`)).json()).toEqual({ ports: [] });
      } finally {
        await api.close();
      }
    });
  });

  describe('when the history settings are out of range', () => {
    it('throws LodeError(config) and binds nothing', async () => {
      await expect(startReadApi({ host: '127.0.0.1', port: 0, historyIntervalSeconds: 0 }, silentLogger)).rejects.toThrow(
        'history interval is 0 s; it must be a number of seconds > 0',
      );
      await expect(startReadApi({ host: '127.0.0.1', port: 0, historyPoints: 1.5 }, silentLogger)).rejects.toThrow(
        'history size is 1.5 points; it must be an integer >= 1',
      );
    });
  });
});
