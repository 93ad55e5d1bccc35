import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

function has(samples: Sample[], name: string): boolean {
  return samples.some((s) => s.name === name);
}

describe("the pool's Prometheus endpoint during an end-to-end run (devnet, pool and miner as processes)", () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let miner: LoggedProcess;
  let metricsUrl = '';
  let stratumPort = 0;

  async function scrape(): Promise<{ samples: Sample[]; contentType: string }> {
    const response = await fetch(metricsUrl);
    expect(response.status).toBe(200);
    return { samples: parseExposition(await response.text()), contentType: response.headers.get('content-type') ?? '' };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-metrics-'));
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/:(\d+)/.exec(listening.split('http://')[1] ?? '')?.[1]);
    const config = {
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
      metrics: { host: '127.0.0.1', port: 0 },
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    const metricsLine = await pool.waitFor(/metrics endpoint listening/, 60000);
    metricsUrl = (JSON.parse(metricsLine) as { url: string }).url;
    const portLine = await pool.waitFor(/pool listening/, 60000);
    stratumPort = Number((JSON.parse(portLine) as { url: string }).url.split(':').pop());
    miner = spawnLogged('miner', entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${stratumPort}`, '--user', 'e2e.metrics', '--threads', '1', '--stats-interval', '5']);
  });

  afterAll(async () => {
    await Promise.all([miner, pool, devnet].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every pool metric with plausible values once shares, a block and a rejected share went through', async () => {
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
      await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 150000);

      // vardiff retargets every 10 s; wait (bounded) for the first change to be counted
      let { samples, contentType } = await scrape();
      const deadline = Date.now() + 60000;
      while (total(samples, 'lode_pool_difficulty_changes_total') === 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 1000));
        ({ samples, contentType } = await scrape());
      }
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);

      // connections by dialect and user agent (name up to the first '/'), while the probe is still connected
      expect(total(samples, 'lode_pool_connections', { dialect: 'bitcoin' })).toBeGreaterThanOrEqual(2);
      expect(total(samples, 'lode_pool_connections', { dialect: 'bitcoin', user_agent: 'e2e-probe' })).toBe(1);
      expect(total(samples, 'lode_pool_connections_total', { dialect: 'bitcoin' })).toBeGreaterThanOrEqual(2);
      expect(total(samples, 'lode_pool_sessions', { coin: 'btc' })).toBeGreaterThanOrEqual(2);
      expect(has(samples, 'lode_pool_resume_holds')).toBe(true);

      // shares by verdict and reason
      expect(total(samples, 'lode_pool_shares_total', { coin: 'btc', verdict: 'accepted', reason: 'none' })).toBeGreaterThan(0);
      expect(total(samples, 'lode_pool_shares_total', { verdict: 'rejected', reason: 'unknown-job' })).toBe(1);

      // histograms: share validation and notify fan-out
      const judged = total(samples, 'lode_pool_shares_total');
      expect(total(samples, 'lode_pool_share_validation_seconds_count')).toBe(judged);
      expect(total(samples, 'lode_pool_share_validation_seconds_sum')).toBeGreaterThan(0);
      expect(total(samples, 'lode_pool_share_validation_seconds_bucket', { le: '+Inf' })).toBe(judged);
      expect(total(samples, 'lode_pool_notify_fanout_seconds_count')).toBeGreaterThanOrEqual(2); // the first job and the one after the block
      expect(total(samples, 'lode_pool_notify_fanout_seconds_count', { clean: 'true' })).toBeGreaterThanOrEqual(2);
      expect(total(samples, 'lode_pool_notify_fanout_seconds_sum')).toBeGreaterThan(0);
      expect(has(samples, 'lode_pool_notify_fanout_sessions')).toBe(true);

      // vardiff, blocks and the node
      expect(total(samples, 'lode_pool_difficulty_changes_total', { coin: 'btc' })).toBeGreaterThan(0);
      expect(total(samples, 'lode_pool_blocks_total', { coin: 'btc', result: 'accepted' })).toBeGreaterThanOrEqual(1);
      expect(total(samples, 'lode_pool_node_rpc_seconds_count', { method: 'start' })).toBe(1);
      expect(total(samples, 'lode_pool_node_rpc_seconds_count', { method: 'submitblock' })).toBeGreaterThanOrEqual(1);
      expect(total(samples, 'lode_pool_node_rpc_errors_total', { method: 'submitblock' })).toBe(0);

      // default process metrics with the lode_ prefix, event-loop lag among them
      expect(total(samples, 'lode_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(has(samples, 'lode_nodejs_eventloop_lag_seconds')).toBe(true);
      expect(total(samples, 'lode_process_resident_memory_bytes')).toBeGreaterThan(0);
    } finally {
      c.close();
    }
  });

  it('answers 404 off /metrics', async () => {
    const response = await fetch(metricsUrl.replace(/\/metrics$/, '/other'));
    expect(response.status).toBe(404);
  });
});
