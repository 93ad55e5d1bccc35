import { MAX_USER_AGENTS, PoolMetrics, userAgentName } from './pool-metrics';

describe('userAgentName', () => {
  it('keeps the name up to the first slash, and names an empty agent "none"', () => {
    expect(userAgentName('cpuminer/2.5.1')).toBe('cpuminer');
    expect(userAgentName('bmminer/2.0.0/Antminer S9')).toBe('bmminer');
    expect(userAgentName('')).toBe('none');
    expect(userAgentName('a"b{c}')).toBe('a_b_c_');
  });
});

describe('PoolMetrics', () => {
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

  it('counts shares by verdict and reason with the validation histogram, and blocks by result', async () => {
    const metrics = new PoolMetrics();
    const engine = metrics.engineMetrics('btc');
    engine.shareJudged?.('accepted', 'none', 0.0002);
    engine.shareJudged?.('rejected', 'duplicate', 0.0003);
    engine.blockSubmitted?.('rejected', 10);
    engine.nodeCall?.('submitblock', 0.02, false);
    const text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="accepted",reason="none"} 1');
    expect(text).toContain('lode_pool_shares_total{coin="btc",verdict="rejected",reason="duplicate"} 1');
    expect(text).toContain('lode_pool_share_validation_seconds_count{coin="btc"} 2');
    expect(text).toContain('lode_pool_share_validation_seconds_bucket{le="0.00025",coin="btc"} 1');
    expect(text).toContain('lode_pool_blocks_total{coin="btc",result="rejected"} 1');
    expect(text).toContain('lode_pool_node_rpc_errors_total{coin="btc",method="submitblock"} 1');
    expect(text).toContain('lode_nodejs_eventloop_lag_seconds');
  });

  it('reads the spool depth at scrape time once Redis is observed', async () => {
    const metrics = new PoolMetrics();
    let depth = 3;
    const timer = metrics.observeRedis(() => depth);
    timer(0.001, true);
    expect((await metrics.scrape()).body).toContain('lode_pool_redis_spool_depth 3');
    depth = 0;
    const text = (await metrics.scrape()).body;
    expect(text).toContain('lode_pool_redis_spool_depth 0');
    expect(text).toContain('lode_pool_redis_share_record_seconds_count{ok="true"} 1');
  });
});
