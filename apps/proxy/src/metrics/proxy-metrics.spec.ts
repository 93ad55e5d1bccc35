import { resolve } from 'node:path';
import { Subject } from 'rxjs';
import { targetFromDifficulty } from '@lode/mining';
import { parseProxyConfig } from '../config/load-config';
import { startProxy, type RunningProxy } from '../composition/start-proxy';
import type { UpstreamGroupEvent } from '../core/upstream-group';
import { bitcoinPlugin } from '../testing/bitcoin-plugin';
import { eventually } from '../testing/eventually';
import { FakeBitcoinPool } from '../testing/fake-bitcoin-pool';
import { RecordingLogger } from '../testing/recording-logger';
import { TestMiner } from '../testing/test-miner';
import { ProxyMetrics } from './proxy-metrics';

/** The value of the one sample `name{labels}` in an exposition text (labels in the order prom-client writes them), or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.split(' ').pop());
}

describe('ProxyMetrics', () => {
  it("counts forwarded shares by the upstream's verdict and class of reason, and upstream transitions", async () => {
    const metrics = new ProxyMetrics();
    const upstream = metrics.upstreamMetrics('btc', 'primary');
    upstream.forward?.forwarded('accepted', '', 0.004);
    upstream.forward?.forwarded('rejected', 'Duplicate share', 0.003);
    upstream.forward?.forwarded('failed', 'upstream primary closed', 0.2);
    const events = new Subject<UpstreamGroupEvent>();
    metrics.watchUpstream('primary', events);
    events.next({ type: 'down', group: undefined as never, reason: 'test' });
    events.complete();
    const text = (await metrics.scrape()).body;
    expect(text).toContain('lode_proxy_upstream_shares_total{upstream="primary",result="accepted",reason="none"} 1');
    expect(text).toContain('lode_proxy_upstream_shares_total{upstream="primary",result="rejected",reason="duplicate"} 1');
    expect(text).toContain('lode_proxy_upstream_shares_total{upstream="primary",result="failed",reason="link-failed"} 1');
    expect(text).toContain('lode_proxy_upstream_share_seconds_bucket{le="0.005",upstream="primary",result="accepted"} 1');
    expect(text).toContain('lode_proxy_upstream_share_seconds_bucket{le="0.0025",upstream="primary",result="accepted"} 0');
    expect(text).toContain('lode_proxy_upstream_events_total{upstream="primary",event="down"} 1');
    expect(text).toContain('lode_proxy_upstream_events_total{upstream="primary",event="up"} 0');
    expect(text).toContain('lode_nodejs_eventloop_lag_seconds');
  });
});

/*
 * The endpoint of a real proxy on loopback: a fake Stratum v1 pool that
 * checks every share, the proxy from startProxy with `metrics`, and a miner
 * scanning with the native hasher. Miners work at 2^-20, the upstream asks
 * 2^-16: about one miner share in 16 is forwarded.
 */
describe('the proxy metrics endpoint', () => {
  const plugin = bitcoinPlugin();
  const upstreamTarget = targetFromDifficulty(2 ** -16, plugin.diff1Target);
  let pool: FakeBitcoinPool;
  let proxy: RunningProxy | undefined;
  let miner: TestMiner | undefined;

  afterEach(async () => {
    miner?.close();
    await proxy?.stop('test over');
    await pool?.stop();
  });

  it('serves connections, sessions, shares, forwards and the upstream state with the values the run produced', async () => {
    pool = await FakeBitcoinPool.start({ plugin, extranonce2Size: 8, difficulty: 2 ** -16, extranonce1Tag: 0xa0 });
    const config = parseProxyConfig(
      JSON.stringify({
        plugins: ['@lode/coin-bitcoin'],
        log: { statsIntervalSeconds: 0 },
        upstreams: [{ name: 'primary', url: pool.url, user: 'proxy.main', coin: 'btc' }],
        ports: [{ name: 'down', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: 2 ** -20 } }],
        connectTimeoutSeconds: 5,
        metrics: { host: '127.0.0.1', port: 0 },
      }),
      'proxy.test.json',
    );
    proxy = await startProxy(config, new RecordingLogger(), resolve(__dirname, '../..'));
    expect(proxy.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    miner = await TestMiner.connect(`stratum+tcp://127.0.0.1:${proxy.ports[0].port}`, { plugin, user: 'farm.a' });
    await miner.until(() => miner!.jobs.length > 0, 'the first job');
    const mined = await miner.mine(400, (found) => found.some((s) => s.hashValue <= upstreamTarget));
    const worthy = mined.filter((s) => s.hashValue <= upstreamTarget).length;
    await eventually(() => (proxy?.upstreams()[0].shares.accepted ?? 0) === worthy, 'the upstream verdicts');

    const response = await fetch(proxy.metricsUrl as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const agent = 'lode-test-miner'; // TestMiner's user agent: lode-test-miner/1
    expect(sample(text, 'lode_proxy_connections', `coin="btc",dialect="bitcoin",user_agent="${agent}"`)).toBe(1);
    expect(sample(text, 'lode_proxy_port_connections', 'port="down",coin="btc",dialect="bitcoin"')).toBe(1);
    expect(sample(text, 'lode_proxy_port_connections_total', 'port="down",coin="btc",dialect="bitcoin"')).toBe(1);
    expect(sample(text, 'lode_proxy_sessions', 'upstream="primary",coin="btc"')).toBe(1);
    expect(sample(text, 'lode_proxy_shares_total', 'coin="btc",verdict="accepted",reason="none"')).toBe(mined.length);
    expect(sample(text, 'lode_proxy_share_validation_seconds_count', 'coin="btc"')).toBe(mined.length);
    expect(sample(text, 'lode_proxy_notify_fanout_seconds_count', 'coin="btc",clean="true"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'lode_proxy_upstream_shares_total', 'upstream="primary",result="accepted",reason="none"')).toBe(worthy);
    expect(sample(text, 'lode_proxy_upstream_share_seconds_count', 'upstream="primary",result="accepted"')).toBe(worthy);
    expect(sample(text, 'lode_proxy_upstream_up', 'upstream="primary",coin="btc",dialect="bitcoin"')).toBe(1);
    expect(sample(text, 'lode_proxy_upstream_state', 'upstream="primary",state="up"')).toBe(1);
    expect(sample(text, 'lode_proxy_upstream_state', 'upstream="primary",state="down"')).toBe(0);
    expect(sample(text, 'lode_proxy_upstream_subscriptions', 'upstream="primary"')).toBe(1);
    expect(sample(text, 'lode_proxy_upstream_difficulty', 'upstream="primary"')).toBe(2 ** -16);
    expect(sample(text, 'lode_proxy_upstream_events_total', 'upstream="primary",event="up"')).toBe(1);
  });
});
