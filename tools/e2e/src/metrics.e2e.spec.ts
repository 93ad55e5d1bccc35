import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestRedis, type TestRedis } from '@lode/store-redis/testing';
import { LineClient } from './support/line-client';
import { DEVNET_PAYOUT_ADDRESS, entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** One sample of the exposition text: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text format 0.0.4 samples (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (m === null) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1] as string] = l[2] as string;
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The sum of every sample named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return select(samples, name, labels).reduce((n, s) => n + s.value, 0);
}

function select(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

function has(samples: Sample[], name: string, labels: Record<string, string> = {}): boolean {
  return select(samples, name, labels).length > 0;
}

/**
 * Checks one histogram series (the buckets, sum and count of `name` with
 * exactly `labels` besides `le`) for sane values and returns its count:
 * buckets non-decreasing in `le`, the +Inf bucket equal to the count, a
 * count > 0, a sum > 0 and no more than count * the largest finite bound
 * when every observation fell within it.
 */
function histogram(samples: Sample[], name: string, labels: Record<string, string>): number {
  const same = (s: Sample) => Object.keys(s.labels).filter((k) => k !== 'le').length === Object.keys(labels).length;
  const buckets = select(samples, `${name}_bucket`, labels)
    .filter(same)
    .map((s) => ({ le: s.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels['le']), value: s.value }))
    .sort((a, b) => a.le - b.le);
  const count = select(samples, `${name}_count`, labels).filter(same)[0]?.value ?? 0;
  const sum = select(samples, `${name}_sum`, labels).filter(same)[0]?.value ?? 0;
  expect(buckets.length).toBeGreaterThan(1);
  for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
  expect(buckets.at(-1)!.le).toBe(Number.POSITIVE_INFINITY);
  expect(buckets.at(-1)!.value).toBe(count);
  expect(count).toBeGreaterThan(0);
  expect(sum).toBeGreaterThan(0);
  const largest = buckets.at(-2)!;
  if (largest.value === count) expect(sum).toBeLessThanOrEqual(count * largest.le);
  return count;
}

async function scrape(url: string): Promise<{ samples: Sample[]; contentType: string }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { samples: parseExposition(await response.text()), contentType: response.headers.get('content-type') ?? '' };
}

/** The `url` field of a JSON log line (pool, proxy and miner all log their endpoint's URL). */
function urlOf(line: string): string {
  return (JSON.parse(line) as { url: string }).url;
}

/** The default process metrics every Lode process serves, event-loop lag among them. */
function expectProcessMetrics(samples: Sample[]): void {
  expect(has(samples, 'lode_nodejs_eventloop_lag_seconds')).toBe(true);
  expect(total(samples, 'lode_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
  expect(total(samples, 'lode_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  expect(total(samples, 'lode_process_resident_memory_bytes')).toBeGreaterThan(0);
}

/*
 * pool (with Redis) <- proxy <- miner, and a miner straight on the pool,
 * every process with its metrics endpoint on; the test scrapes all four
 * during the run. Redis is a redis-server of its own on a free port
 * (store-redis/testing), so the keys collide with nothing.
 */
describe('the Prometheus endpoints during an end-to-end run (devnet, pool on Redis, proxy and miners as processes)', () => {
  let dir: string;
  let redis: TestRedis;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let proxy: LoggedProcess;
  let miner: LoggedProcess;
  let proxiedMiner: LoggedProcess;
  const urls = { pool: '', proxy: '', miner: '', proxiedMiner: '' };
  let stratumPort = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-metrics-'));
    redis = await startTestRedis();
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/:(\d+)/.exec(listening.split('http://')[1] ?? '')?.[1]);
    const poolConfig = {
      plugins: ['@lode/coin-bitcoin'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: {
        btc: {
          node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
          payoutAddress: DEVNET_PAYOUT_ADDRESS,
          network: 'regtest',
          coinbaseTag: '/Lode e2e/',
        },
      },
      ports: [
        {
          name: 'vardiff',
          host: '127.0.0.1',
          port: 0,
          coin: 'btc',
          difficulty: { initial: 0.001, vardiff: { targetShareSeconds: 2, retargetSeconds: 10, variancePercent: 30, min: 0.00001, max: 1e6 } },
        },
      ],
      instanceId: 'metrics',
      redis: { url: redis.url, prefix: 'e2e-metrics', spoolDir: join(dir, 'spool'), leaseSeconds: 3 },
      metrics: { host: '127.0.0.1', port: 0 },
      shutdownGraceSeconds: 2,
    };
    writeFileSync(join(dir, 'pool.json'), JSON.stringify(poolConfig));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', join(dir, 'pool.json'), '--json']);
    urls.pool = urlOf(await pool.waitFor(/metrics endpoint listening/, 60000));
    stratumPort = Number(urlOf(await pool.waitFor(/pool listening/, 60000)).split(':').pop());

    const proxyConfig = {
      plugins: ['@lode/coin-bitcoin'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
      upstreams: [{ name: 'pool', url: `stratum+tcp://127.0.0.1:${stratumPort}`, user: 'e2e.proxy', password: 'x', coin: 'btc', dialect: 'bitcoin' }],
      credentials: 'proxy',
      ports: [{ name: 'downstream', host: '127.0.0.1', port: 0, coin: 'btc', dialect: 'bitcoin', difficulty: { initial: 0.0005 } }],
      connectTimeoutSeconds: 30,
      metrics: { host: '127.0.0.1', port: 0 },
      shutdownGraceSeconds: 2,
    };
    writeFileSync(join(dir, 'proxy.json'), JSON.stringify(proxyConfig));
    proxy = spawnLogged('proxy', entryPoints.proxy, ['--config', join(dir, 'proxy.json'), '--json']);
    urls.proxy = urlOf(await proxy.waitFor(/"msg":"metrics endpoint listening"/, 90000));
    const proxyPort = Number(urlOf(await proxy.waitFor(/"msg":"proxy listening"/, 90000)).split(':').pop());

    const minerArgs = ['--threads', '1', '--stats-interval', '5', '--metrics', '127.0.0.1:0', '--json'];
    miner = spawnLogged('miner', entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${stratumPort}`, '--user', 'e2e.metrics', ...minerArgs]);
    proxiedMiner = spawnLogged('miner-via-proxy', entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${proxyPort}`, '--user', 'e2e.proxied', ...minerArgs]);
    urls.miner = urlOf(await miner.waitFor(/metrics endpoint listening/, 30000));
    urls.proxiedMiner = urlOf(await proxiedMiner.waitFor(/metrics endpoint listening/, 30000));
  });

  afterAll(async () => {
    await Promise.all([proxiedMiner, miner, proxy].filter(Boolean).map((p) => p.stop()));
    await Promise.all([pool, devnet].filter(Boolean).map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every metric of the pool, the proxy and both miners with plausible values once shares, forwards and a block went through', async () => {
    // a rejected share with a known reason, from a raw client: a job id the pool never issued
    const c = await LineClient.open('127.0.0.1', stratumPort);
    try {
      c.sendJson({ id: 1, method: 'mining.subscribe', params: ['e2e-probe/1.0'] });
      const [, , extranonce2Size] = (await c.reply(1)).reply['result'] as [unknown, string, number];
      c.sendJson({ id: 2, method: 'mining.authorize', params: ['e2e.probe', 'x'] });
      expect((await c.reply(2)).reply).toMatchObject({ result: true });
      c.sendJson({ id: 3, method: 'mining.submit', params: ['e2e.probe', 'feedface99', '00'.repeat(extranonce2Size), '00000000', '00000000'] });
      expect((await c.reply(3)).reply).toMatchObject({ error: [20, expect.any(String), null] });

      await miner.waitFor(/share accepted/, 60000);
      await proxiedMiner.waitFor(/share accepted/, 60000);
      await proxy.waitFor(/upstream share accepted by upstream/, 90000);
      await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 150000);

      // vardiff retargets every 10 s and the miners report their hashrate every 5 s: wait (bounded) for both
      let { samples: poolSamples, contentType } = await scrape(urls.pool);
      let minerSamples = (await scrape(urls.miner)).samples;
      const deadline = Date.now() + 60000;
      while (
        (total(poolSamples, 'lode_pool_difficulty_changes_total') === 0 || total(minerSamples, 'lode_miner_hashrate_hashes_per_second') === 0) &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 1000));
        ({ samples: poolSamples, contentType } = await scrape(urls.pool));
        minerSamples = (await scrape(urls.miner)).samples;
      }
      const proxySamples = (await scrape(urls.proxy)).samples;
      const proxiedSamples = (await scrape(urls.proxiedMiner)).samples;
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

      /* ---- the pool ---- */
      const p = poolSamples;
      // connections by dialect and user agent (name up to the first '/'), while the probe is still connected
      expect(total(p, 'lode_pool_connections', { dialect: 'bitcoin' })).toBeGreaterThanOrEqual(3);
      expect(total(p, 'lode_pool_connections', { dialect: 'bitcoin', user_agent: 'e2e-probe' })).toBe(1);
      expect(total(p, 'lode_pool_connections', { dialect: 'bitcoin', user_agent: 'lode-miner' })).toBe(1);
      expect(total(p, 'lode_pool_connections', { dialect: 'bitcoin', user_agent: 'lode-proxy' })).toBe(1);
      expect(total(p, 'lode_pool_connections_total', { dialect: 'bitcoin' })).toBeGreaterThanOrEqual(3);
      expect(total(p, 'lode_pool_sessions', { coin: 'btc' })).toBeGreaterThanOrEqual(3);
      expect(has(p, 'lode_pool_resume_holds')).toBe(true);
      // shares by verdict and reason
      expect(total(p, 'lode_pool_shares_total', { coin: 'btc', verdict: 'accepted', reason: 'none' })).toBeGreaterThan(0);
      expect(total(p, 'lode_pool_shares_total', { verdict: 'rejected', reason: 'unknown-job' })).toBe(1);
      // histograms: share validation and notify fan-out
      const judged = total(p, 'lode_pool_shares_total');
      expect(histogram(p, 'lode_pool_share_validation_seconds', { coin: 'btc' })).toBe(judged);
      expect(histogram(p, 'lode_pool_notify_fanout_seconds', { coin: 'btc', clean: 'true' })).toBeGreaterThanOrEqual(2); // the first job and the one after the block
      expect(has(p, 'lode_pool_notify_fanout_sessions')).toBe(true);
      // vardiff and blocks
      expect(total(p, 'lode_pool_difficulty_changes_total', { coin: 'btc' })).toBeGreaterThan(0);
      expect(total(p, 'lode_pool_blocks_total', { coin: 'btc', result: 'accepted' })).toBeGreaterThanOrEqual(1);
      // the node: the engine's CoinNode calls, and the node client's own requests (template polls every 500 ms)
      expect(histogram(p, 'lode_pool_node_call_seconds', { coin: 'btc', call: 'start' })).toBe(1);
      expect(histogram(p, 'lode_pool_node_call_seconds', { coin: 'btc', call: 'submitBlock' })).toBeGreaterThanOrEqual(1);
      expect(select(p, 'lode_pool_node_call_errors_total').filter((s) => s.value > 0)).toEqual([]);
      expect(histogram(p, 'lode_pool_node_rpc_seconds', { coin: 'btc', method: 'getblocktemplate' })).toBeGreaterThan(5);
      expect(histogram(p, 'lode_pool_node_rpc_seconds', { coin: 'btc', method: 'submitblock' })).toBeGreaterThanOrEqual(1);
      expect(total(p, 'lode_pool_node_rpc_errors_total', { method: 'getblocktemplate' })).toBe(0);
      expect(total(p, 'lode_pool_node_rpc_errors_total', { method: 'submitblock' })).toBe(0);
      // Redis: the engine's ports, the commands under them, the spool
      expect(histogram(p, 'lode_pool_redis_op_seconds', { op: 'shares.record' })).toBeGreaterThanOrEqual(judged); // a share is recorded, then counted
      expect(histogram(p, 'lode_pool_redis_op_seconds', { op: 'duplicates.add' })).toBeGreaterThan(0);
      expect(histogram(p, 'lode_pool_redis_op_seconds', { op: 'leases.acquirePrefix' })).toBe(1);
      expect(histogram(p, 'lode_pool_redis_op_seconds', { op: 'leases.claim' })).toBeGreaterThanOrEqual(3);
      expect(select(p, 'lode_pool_redis_op_errors_total').filter((s) => s.value > 0)).toEqual([]);
      expect(total(p, 'lode_pool_redis_command_seconds_count', { command: 'evalsha' }) + total(p, 'lode_pool_redis_command_seconds_count', { command: 'eval' })).toBeGreaterThan(0);
      expect(histogram(p, 'lode_pool_redis_command_seconds', { command: 'evalsha' })).toBeGreaterThan(0);
      expect(select(p, 'lode_pool_redis_command_seconds_count').length).toBeGreaterThanOrEqual(3);
      expect(has(p, 'lode_pool_redis_spool_depth')).toBe(true);
      expect(total(p, 'lode_pool_redis_spool_depth')).toBe(0);
      expectProcessMetrics(p);

      /* ---- the proxy ---- */
      const x = proxySamples;
      expect(total(x, 'lode_proxy_connections', { coin: 'btc', dialect: 'bitcoin', user_agent: 'lode-miner' })).toBe(1);
      expect(total(x, 'lode_proxy_port_connections', { port: 'downstream', dialect: 'bitcoin' })).toBe(1);
      expect(total(x, 'lode_proxy_port_connections_total', { port: 'downstream' })).toBeGreaterThanOrEqual(1);
      expect(total(x, 'lode_proxy_sessions', { upstream: 'pool', coin: 'btc' })).toBe(1);
      const proxyAccepted = total(x, 'lode_proxy_shares_total', { verdict: 'accepted', reason: 'none' });
      expect(proxyAccepted).toBeGreaterThan(0);
      expect(histogram(x, 'lode_proxy_share_validation_seconds', { coin: 'btc' })).toBe(total(x, 'lode_proxy_shares_total'));
      expect(histogram(x, 'lode_proxy_notify_fanout_seconds', { coin: 'btc', clean: 'true' })).toBeGreaterThanOrEqual(1);
      const forwardedAccepted = total(x, 'lode_proxy_upstream_shares_total', { upstream: 'pool', result: 'accepted', reason: 'none' });
      expect(forwardedAccepted).toBeGreaterThan(0);
      expect(forwardedAccepted).toBeLessThanOrEqual(proxyAccepted);
      expect(histogram(x, 'lode_proxy_upstream_share_seconds', { upstream: 'pool', result: 'accepted' })).toBe(forwardedAccepted);
      expect(total(x, 'lode_proxy_upstream_up', { upstream: 'pool', coin: 'btc', dialect: 'bitcoin' })).toBe(1);
      expect(total(x, 'lode_proxy_upstream_state', { upstream: 'pool', state: 'up' })).toBe(1);
      expect(total(x, 'lode_proxy_upstream_state', { upstream: 'pool' })).toBe(1);
      expect(total(x, 'lode_proxy_upstream_subscriptions', { upstream: 'pool' })).toBe(1);
      expect(total(x, 'lode_proxy_upstream_difficulty', { upstream: 'pool' })).toBeGreaterThan(0);
      expect(total(x, 'lode_proxy_upstream_events_total', { upstream: 'pool', event: 'up' })).toBe(1);
      expect(has(x, 'lode_proxy_difficulty_changes_total', { coin: 'btc' })).toBe(true);
      expectProcessMetrics(x);

      /* ---- the miners ---- */
      for (const [m, which] of [
        [minerSamples, 'pool'],
        [proxiedSamples, 'proxy'],
      ] as const) {
        expect({ which, info: total(m, 'lode_miner_info', { coin: 'btc', dialect: 'bitcoin', user_agent: 'lode-miner/0.1.0' }) }).toEqual({ which, info: 1 });
        expect(total(m, 'lode_miner_threads')).toBe(1);
        expect(total(m, 'lode_miner_connection_state', { state: 'authorized' })).toBe(1);
        expect(total(m, 'lode_miner_connection_state')).toBe(1);
        expect(total(m, 'lode_miner_connections_total', { dialect: 'bitcoin', user_agent: 'lode-miner/0.1.0' })).toBe(1);
        expect(total(m, 'lode_miner_sessions_total')).toBe(1);
        expect(total(m, 'lode_miner_jobs_total', { clean: 'true' })).toBeGreaterThanOrEqual(1);
        expect(total(m, 'lode_miner_difficulty')).toBeGreaterThan(0);
        const submitted = total(m, 'lode_miner_shares_submitted_total');
        const accepted = total(m, 'lode_miner_shares_total', { verdict: 'accepted' });
        expect(accepted).toBeGreaterThan(0);
        expect(submitted).toBeGreaterThanOrEqual(total(m, 'lode_miner_shares_total'));
        expect(histogram(m, 'lode_miner_share_reply_seconds', { verdict: 'accepted' })).toBe(accepted);
        expectProcessMetrics(m);
      }
      expect(total(minerSamples, 'lode_miner_hashrate_hashes_per_second')).toBeGreaterThan(0);
      expect(total(minerSamples, 'lode_miner_hashes_total')).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('answers 404 off /metrics', async () => {
    for (const url of Object.values(urls)) {
      const response = await fetch(url.replace(/\/metrics$/, '/other'));
      expect(response.status).toBe(404);
    }
  });
});
