import { silentLogger } from '@lode/stratum-core';
import type { MinerSnapshot } from '../core/proxy-port';
import type { UpstreamSnapshot } from '../core/upstream-snapshot';
import { startStatsApi, type RunningStatsApi } from './start-stats-api';

const upstream: UpstreamSnapshot = {
  name: 'primary',
  url: 'stratum+tcp://pool.example.com:3333',
  coin: 'btc',
  dialect: 'bitcoin',
  priority: 0,
  weight: 1,
  state: 'up',
  extranonce1: 'a0000001',
  difficulty: 65536,
  miners: 1,
  subscriptions: [],
  shares: { forwarded: 3, accepted: 2, rejected: 1, failed: 0 },
};
const miner: MinerSnapshot = {
  id: 'c1',
  port: 'btc-3333',
  remoteAddress: '127.0.0.1:50000',
  workers: ['farm.a'],
  upstream: 'primary',
  extranonce1: 'a00000010000002a',
  difficulty: 1024,
  accepted: 10,
  rejected: 0,
  hashrate: 1.5e12,
  extranonceSubscribed: true,
  connectedAt: 1,
};

describe('startStatsApi', () => {
  let api: RunningStatsApi;
  let upstreams: UpstreamSnapshot[];

  beforeEach(async () => {
    upstreams = [upstream];
    api = await startStatsApi({ host: '127.0.0.1', port: 0, sources: { upstreams: () => upstreams, miners: () => [miner] } }, silentLogger);
  });
  afterEach(() => api.close());

  async function get(path: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: unknown }> {
    const res = await fetch(`${api.url}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) };
  }

  describe('when asked for the routes', () => {
    it('answers /health with the upstreams up, /api/upstreams and /api/miners with the snapshots', async () => {
      expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok', upstreams: { up: 1, total: 1 } } });
      const res = await get('/api/upstreams');
      expect(res).toMatchObject({ status: 200, body: [upstream] });
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(await get('/api/miners/')).toMatchObject({ status: 200, body: [miner] });
    });

    it('answers 503 on /health when no upstream is up', async () => {
      upstreams = [{ ...upstream, state: 'down' }];
      expect(await get('/health')).toMatchObject({ status: 503, body: { status: 'no upstream', upstreams: { up: 0, total: 1 } } });
    });
  });

  describe('when the request is not a route', () => {
    it('answers 404, 405 with Allow, and 204 to a preflight', async () => {
      expect(await get('/api/stats/btc')).toMatchObject({ status: 404, body: { error: 'no such path: /api/stats/btc (stats API paths: /health, /api/upstreams, /api/miners)' } });
      const post = await get('/api/miners', { method: 'POST', body: 'x' });
      expect(post).toMatchObject({ status: 405, body: { error: 'method POST is not allowed; the stats API answers GET, HEAD, OPTIONS' } });
      expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
      expect((await get('/api/miners', { method: 'OPTIONS' })).status).toBe(204);
    });
  });

  describe('when a source throws', () => {
    it('answers 500 without echoing the error', async () => {
      upstreams = null as unknown as UpstreamSnapshot[];
      expect(await get('/health')).toMatchObject({ status: 500, body: { error: 'internal error' } });
    });
  });
});
