import type { StatsSnapshot } from '@lode/pool-engine';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { AccountedBlock, AccountedWorker, AccountingReader, EngineStatsReader } from './read-api-sources';
import { startReadApi, type RunningReadApi } from './start-read-api';

/** A reader that records what it was asked and answers from fixed data. */
function fakeAccountant(): AccountingReader & { calls: string[]; failWith?: Error } {
  const fake = {
    coins: ['btc'],
    calls: [] as string[],
    failWith: undefined as Error | undefined,
    async stats(coin: string) {
      fake.calls.push(`stats ${coin}`);
      if (fake.failWith) throw fake.failWith;
      return { time: 1000, windowSeconds: 600, pool: { hashrate: 1.5, accepted: 3, rejected: { stale: 1 }, round: { A: 2 } }, workers: [] };
    },
    async blocks(coin: string, limit: number) {
      fake.calls.push(`blocks ${coin} ${limit}`);
      // a stray bigint from a reader: the API must still write JSON
      return [{ height: 7, hash: 'ab', finder: 'A', time: 1, reward: 5_000_000_000n, split: { A: '5000000000' } } as unknown as AccountedBlock];
    },
    async worker(coin: string, name: string) {
      fake.calls.push(`worker ${coin} ${name}`);
      // the reader's own shape passes through as is
      return name === 'addr.rig 1' ? ({ worker: name, accepted: 2 } as AccountedWorker) : undefined;
    },
  };
  return fake;
}

function fakeEngine(): EngineStatsReader {
  const snapshot: StatsSnapshot = {
    time: 1,
    windowSeconds: 600,
    pool: { accepted: 1, creditedDifficulty: 1, rejected: {}, rejectedTotal: 0, hashrate: 2, workers: 1 },
    workers: [{ worker: 'w1', accepted: 1, creditedDifficulty: 1, rejected: {}, rejectedTotal: 0, lastShareTime: 1, hashrate: 2 }],
  };
  return { stats: { snapshot: () => snapshot } };
}

describe('startReadApi', () => {
  let api: RunningReadApi;
  let accountant: ReturnType<typeof fakeAccountant>;

  beforeEach(async () => {
    accountant = fakeAccountant();
    api = await startReadApi({ host: '127.0.0.1', port: 0, accountant, engines: new Map([['ltc', fakeEngine()]]) }, silentLogger);
    // the first hashrate history sample read the accountant at start
    expect(accountant.calls).toEqual(['stats btc']);
    accountant.calls.length = 0;
  });
  afterEach(async () => api.close());

  async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: unknown }> {
    const res = await fetch(`${api.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  }

  describe('when it starts on port 0', () => {
    it('binds 127.0.0.1 and answers /health with the coins it serves', async () => {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+$/);
      const res = await get('/health');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', coins: ['btc', 'ltc'] });
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('when a coin has an accountant', () => {
    it('answers /api/stats/:coin from it', async () => {
      const res = await get('/api/stats/btc');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ time: 1000, windowSeconds: 600, pool: { hashrate: 1.5, accepted: 3, rejected: { stale: 1 }, round: { A: 2 } }, workers: [] });
      expect(accountant.calls).toEqual(['stats btc']);
    });

    it('answers /api/blocks/:coin with the default limit and writes bigints as strings', async () => {
      const res = await get('/api/blocks/btc');
      expect(res.status).toBe(200);
      expect(res.body).toEqual([{ height: 7, hash: 'ab', finder: 'A', time: 1, reward: '5000000000', split: { A: '5000000000' } }]);
      expect(accountant.calls).toEqual(['blocks btc 20']);
    });

    it('passes ?limit= through and refuses a limit out of range', async () => {
      expect((await get('/api/blocks/btc?limit=5')).status).toBe(200);
      expect(accountant.calls).toEqual(['blocks btc 5']);
      for (const bad of ['0', '1001', 'abc', '2.5', '-1']) {
        const res = await get(`/api/blocks/btc?limit=${bad}`);
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: `limit is '${bad}'; it must be an integer from 1 to 1000` });
      }
      expect(accountant.calls).toEqual(['blocks btc 5']);
    });

    it('answers /api/workers/:coin/:name with the percent-decoded name, 404 when unknown', async () => {
      const found = await get('/api/workers/btc/addr.rig%201');
      expect(found).toMatchObject({ status: 200, body: { worker: 'addr.rig 1', accepted: 2 } });
      const missing = await get('/api/workers/btc/nobody');
      expect(missing).toMatchObject({ status: 404, body: { error: "worker 'nobody' has no shares on 'btc'" } });
    });
  });

  describe('when a coin has only an in-memory engine', () => {
    it('answers stats and workers from its snapshot, and 404 for blocks', async () => {
      const stats = await get('/api/stats/ltc');
      expect(stats).toMatchObject({ status: 200, body: { windowSeconds: 600, pool: { hashrate: 2 } } });
      expect(await get('/api/workers/ltc/w1')).toMatchObject({ status: 200, body: { worker: 'w1', hashrate: 2 } });
      expect((await get('/api/workers/ltc/w2')).status).toBe(404);
      expect((await get('/api/blocks/ltc')).status).toBe(404);
      expect(accountant.calls).toEqual([]);
    });
  });

  describe('when the request is not one of the routes', () => {
    it('answers 404 JSON for an unknown coin or path', async () => {
      expect(await get('/api/stats/doge')).toMatchObject({ status: 404, body: { error: "coin 'doge' is not served here (served: btc, ltc)" } });
      for (const path of ['/api', '/api/stats', '/api/stats/btc/x', '/api/nothing/btc', '/api/workers/btc/a/b', '/api/miners/btc', '/api/ports/x', '/api/stats/%zz']) {
        const res = await get(path);
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ error: expect.stringMatching(/^no such path/) });
      }
    });

    it('answers 405 JSON with Allow for another method', async () => {
      const res = await get('/api/stats/btc', { method: 'POST', body: 'x' });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect(res.body).toEqual({ error: 'method POST is not allowed; the read API answers GET, HEAD, OPTIONS' });
      expect(accountant.calls).toEqual([]);
    });

    it('answers a CORS preflight with 204', async () => {
      const res = await get('/api/stats/btc', { method: 'OPTIONS' });
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, OPTIONS');
    });

    it('answers HEAD with the headers of GET and no body', async () => {
      const res = await fetch(`${api.url}/health`, { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
      expect(await res.text()).toBe('');
    });
  });

  describe('when the accountant fails', () => {
    it('answers 503 for a store failure and 500 for anything else, without echoing the error', async () => {
      accountant.failWith = new LodeError('store', 'redis at 127.0.0.1:1 refused the connection');
      expect(await get('/api/stats/btc')).toMatchObject({ status: 503, body: { error: 'the statistics store is unavailable' } });
      accountant.failWith = new Error('secret detail');
      expect(await get('/api/stats/btc')).toMatchObject({ status: 500, body: { error: 'internal error' } });
    });
  });

  describe('when it is closed', () => {
    it('refuses new connections and can be closed twice', async () => {
      await get('/health');
      await api.close();
      await expect(fetch(`${api.url}/health`)).rejects.toThrow();
      await api.close();
    });
  });
});

describe('startReadApi', () => {
  describe('when the port is taken', () => {
    it('throws LodeError(connection) naming the address', async () => {
      const first = await startReadApi({ host: '127.0.0.1', port: 0 }, silentLogger);
      const port = Number(new URL(first.url).port);
      try {
        await expect(startReadApi({ host: '127.0.0.1', port }, silentLogger)).rejects.toThrow(`read API cannot listen on 127.0.0.1:${port}`);
      } finally {
        await first.close();
      }
    });
  });
});
