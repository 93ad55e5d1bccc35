import { tracingChannel } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Subject } from 'rxjs';
import { BanManager } from '@lode/pool-engine';
import type { RefusedConnection } from '@lode/stratum-core';
import { MAX_USER_AGENTS } from '@lode/observability';
import { PoolMetrics } from './pool-metrics';

describe('PoolMetrics', () => {
  it('counts bans by rule, banned addresses now, refused connections and malformed messages by port and kind, and escalation steps', async () => {
    const metrics = new PoolMetrics();
    let now = 1_000_000;
    const bans = new BanManager({ now: () => now, authFailures: { max: 1, windowSeconds: 60, banSeconds: 30 } });
    const refused = new Subject<RefusedConnection>();
    metrics.addBans(bans);
    metrics.addPort('main', refused);
    bans.ban('198.51.100.1', 60);
    bans.recordAuthFailure('198.51.100.2');
    bans.recordAuthFailure('198.51.100.2');
    refused.next({ peer: { address: '198.51.100.1', port: 4000 }, kind: 'admit', reason: 'banned' });
    refused.next({ peer: undefined, kind: 'proxy-header', reason: 'no PROXY header' });
    metrics.escalated('resend-work');
    metrics.escalated('drop');
    metrics.malformed('main', 'not-json');
    metrics.malformed('main', 'not-json');
    metrics.malformed('eth', 'notification');
    let text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_bans_total{rule="manual"} 1');
    expect(text).toContain('lode_pool_bans_total{rule="auth-failures"} 1');
    expect(text).toContain('lode_pool_banned_addresses 2');
    expect(text).toContain('lode_pool_refused_connections_total{port="main",kind="admit"} 1');
    expect(text).toContain('lode_pool_refused_connections_total{port="main",kind="proxy-header"} 1');
    expect(text).toContain('lode_pool_reject_escalations_total{action="resend-work"} 1');
    expect(text).toContain('lode_pool_reject_escalations_total{action="drop"} 1');
    expect(text).toContain('lode_pool_malformed_messages_total{port="main",kind="not-json"} 2');
    expect(text).toContain('lode_pool_malformed_messages_total{port="eth",kind="notification"} 1');
    now += 45_000; // the auth-failure ban (30 s) is over, the manual one (60 s) is not
    text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_banned_addresses 1');
    metrics.close();
    refused.next({ peer: undefined, kind: 'port-full', reason: 'full' });
    expect(refused.observed).toBe(false);
    bans.dispose();
  });

  it('counts connections by dialect and user agent, at most 50 names then "other", and back to zero on close', async () => {
    const metrics = new PoolMetrics();
    const engine = metrics.engineMetrics('btc');
    for (let i = 0; i < MAX_USER_AGENTS + 2; i++) {
      engine.sessionOpened?.('bitcoin');
      engine.sessionSubscribed?.('bitcoin', `agent${i}/1.0`);
    }
    engine.sessionOpened?.('bitcoin');
    let text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_connections{coin="btc",dialect="bitcoin",user_agent="agent0"} 1');
    expect(text).toContain('lode_pool_connections{coin="btc",dialect="bitcoin",user_agent="other"} 2');
    expect(text).toContain('lode_pool_connections{coin="btc",dialect="bitcoin",user_agent="none"} 1');
    expect(text).toContain('lode_pool_connections_total{coin="btc",dialect="bitcoin"} 53');
    engine.sessionClosed?.('bitcoin', 'agent51/1.0');
    engine.sessionClosed?.('bitcoin', undefined);
    text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_connections{coin="btc",dialect="bitcoin",user_agent="other"} 1');
    expect(text).toContain('lode_pool_connections{coin="btc",dialect="bitcoin",user_agent="none"} 0');
  });

  it('counts every share between scrapes exactly, per coin, verdict and reason (counts bound once, added at collect)', async () => {
    const metrics = new PoolMetrics();
    const btc = metrics.engineMetrics('btc');
    const ltc = metrics.engineMetrics('ltc');
    for (let i = 0; i < 1000; i++) btc.shareJudged?.('accepted', 'none', 0.0001);
    for (let i = 0; i < 7; i++) btc.shareJudged?.('rejected', 'low-difficulty', 0.0001);
    ltc.shareJudged?.('accepted', 'stale', 0.0001);
    let text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="accepted",reason="none"} 1000');
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="rejected",reason="low-difficulty"} 7');
    expect(text).toContain('lode_pool_shares_total{coin="ltc",verdict="accepted",reason="stale"} 1');
    expect(text).toContain('lode_pool_shares_total{coin="ltc",verdict="accepted",reason="none"} 0');
    expect(text).toContain('lode_pool_share_validation_seconds_count{coin="btc"} 1007');
    // a scrape with nothing new changes nothing; later shares add to the totals
    expect((await metrics.scrape()).body).toContain('lode_pool_shares_total{coin="btc",verdict="accepted",reason="none"} 1000');
    btc.shareJudged?.('accepted', 'none', 0.0001);
    btc.shareJudged?.('rejected', 'duplicate', 0.0001);
    text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="accepted",reason="none"} 1001');
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="rejected",reason="duplicate"} 1');
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="rejected",reason="low-difficulty"} 7');
    // read through the registry's JSON too (prom-client calls collect there as well)
    btc.shareJudged?.('accepted', 'none', 0.0001);
    const json = await metrics.registry.getSingleMetric('lode_pool_shares_total')?.get();
    const accepted = json?.values.find((v) => v.labels['coin'] === 'btc' && v.labels['reason'] === 'none');
    expect(accepted?.value).toBe(1002);
  });

  it('counts shares by verdict and reason with the validation histogram, and blocks by result', async () => {
    const metrics = new PoolMetrics();
    const engine = metrics.engineMetrics('btc');
    engine.shareJudged?.('accepted', 'none', 0.0002);
    engine.shareJudged?.('rejected', 'duplicate', 0.0003);
    engine.blockSubmitted?.('rejected', 10);
    engine.nodeCall?.('submitBlock', 0.02, false);
    engine.nodeCall?.('start', 0.5, true);
    const text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="accepted",reason="none"} 1');
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="rejected",reason="duplicate"} 1');
    expect(text).toContain('lode_pool_share_validation_seconds_count{coin="btc"} 2');
    expect(text).toContain('lode_pool_share_validation_seconds_bucket{le="0.00025",coin="btc"} 1');
    expect(text).toContain('lode_pool_blocks_total{coin="btc",result="rejected"} 1');
    expect(text).toContain('lode_pool_node_call_errors_total{coin="btc",call="submitBlock"} 1');
    expect(text).toContain('lode_pool_node_call_seconds_count{coin="btc",call="start"} 1');
    expect(text).toContain('lode_pool_node_call_seconds_bucket{le="0.5",coin="btc",call="start"} 1');
    expect(text).toContain('lode_pool_node_call_seconds_bucket{le="0.25",coin="btc",call="start"} 0');
    expect(text).toContain('lode_nodejs_eventloop_lag_seconds');
  });

  it('reads the spool depth at scrape time and times Redis port calls and commands once Redis is observed', async () => {
    const metrics = new PoolMetrics();
    let depth = 3;
    const record = metrics.observeRedis(() => depth);
    try {
      record('shares.record', 0.001, true);
      record('duplicates.add', 0.0002, false);
      // what ioredis publishes around a command (its `ioredis:command` tracing channel)
      await tracingChannel('ioredis:command').tracePromise(async () => 'OK', { command: 'evalsha', args: ['?'] });
      expect((await metrics.scrape()).body).toContain('lode_pool_redis_spool_depth 3');
      depth = 0;
      const text = (await metrics.scrape()).body;
      expect(text).toContain('lode_pool_redis_spool_depth 0');
      expect(text).toContain('lode_pool_redis_op_seconds_count{op="shares.record"} 1');
      expect(text).toContain('lode_pool_redis_op_seconds_bucket{le="0.00025",op="duplicates.add"} 1');
      expect(text).toContain('lode_pool_redis_op_errors_total{op="duplicates.add"} 1');
      expect(text).toContain('lode_pool_redis_command_seconds_count{command="evalsha"} 1');
    } finally {
      metrics.close();
    }
    // after close() the channel is no longer watched
    await tracingChannel('ioredis:command').tracePromise(async () => 'OK', { command: 'evalsha', args: ['?'] });
    expect((await metrics.scrape()).body).toContain('lode_pool_redis_command_seconds_count{command="evalsha"} 1');
  });

  it("times the coin nodes' requests through fetch once observeNodeRpc is on, and unwraps fetch on close", async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(req.url === '/fail' ? 500 : 200, { 'Content-Type': 'application/json' }).end('{"result":null,"error":null,"id":1}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const original = globalThis.fetch;
    const metrics = new PoolMetrics();
    try {
      metrics.observeNodeRpc({ btc: { node: { url: `http://user:pass@127.0.0.1:${(server.address() as AddressInfo).port}/` } }, other: { payoutAddress: 'x' } });
      expect(globalThis.fetch).not.toBe(original);
      const post = (path: string, body: object) => fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.text());
      await post('/', { jsonrpc: '1.0', id: 1, method: 'getblocktemplate', params: [{ rules: ['segwit'] }] });
      await post('/', { jsonrpc: '1.0', id: 2, method: 'getblocktemplate', params: [{ rules: ['segwit'], longpollid: 'ab' }] });
      await post('/fail', { jsonrpc: '1.0', id: 3, method: 'submitblock', params: ['00'] });
      await fetch(`${url}/chain/mine/3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093`).then((r) => r.text());
      const text = (await metrics.scrape()).body;
      expect(text).toContain('lode_pool_node_rpc_seconds_count{coin="btc",method="getblocktemplate"} 1');
      expect(text).toContain('lode_pool_node_rpc_seconds_count{coin="btc",method="getblocktemplate:longpoll"} 1');
      expect(text).toContain('lode_pool_node_rpc_seconds_count{coin="btc",method="GET /chain/mine"} 1');
      expect(text).toContain('lode_pool_node_rpc_errors_total{coin="btc",method="submitblock"} 1');
      expect(text).not.toContain('lode_pool_node_rpc_errors_total{coin="btc",method="getblocktemplate"}');
    } finally {
      metrics.close();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(globalThis.fetch).toBe(original);
  });
});
