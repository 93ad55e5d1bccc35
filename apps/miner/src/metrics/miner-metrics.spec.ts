import { Subject } from 'rxjs';
import { MinerMetrics, type MinerMetricsEvent } from './miner-metrics';

const identity = { coin: 'btc', dialect: 'bitcoin', userAgent: 'lode-miner/0.1.0', threads: 2, implementation: 'sha-ni' };

describe('MinerMetrics', () => {
  it('follows the connection, counts jobs, submits and answers by reason, times the replies and keeps the hashrate', async () => {
    const metrics = new MinerMetrics(identity);
    const events = new Subject<MinerMetricsEvent>();
    metrics.watch(events);
    let text = (await metrics.scrape()).body;
    expect(text).toContain('lode_miner_connection_state{state="disconnected"} 1');
    expect(text).toContain('lode_miner_info{coin="btc",dialect="bitcoin",user_agent="lode-miner/0.1.0",implementation="sha-ni"} 1');
    expect(text).toContain('lode_miner_threads 2');

    const feed: (MinerMetricsEvent & Record<string, unknown>)[] = [
      { type: 'connecting', url: 'stratum+tcp://127.0.0.1:3333', attempt: 1 },
      { type: 'disconnected', reason: 'ECONNREFUSED', retryInMs: 1000 },
      { type: 'connecting', url: 'stratum+tcp://127.0.0.1:3333', attempt: 2 },
      { type: 'connected', url: 'stratum+tcp://127.0.0.1:3333' },
      { type: 'subscribed', extranonce1: '08000002', extranonce2Size: 4, sessionId: 's1' },
      { type: 'authorized', worker: 'w' },
      { type: 'job', jobId: 'a', difficulty: 0.5, clean: true },
      { type: 'job', jobId: 'b', difficulty: 0.25, clean: false },
      { type: 'submitted', jobId: 'a', submitted: 1 },
      { type: 'submitted', jobId: 'a', submitted: 2 },
      { type: 'submitted', jobId: 'b', submitted: 3 },
      { type: 'accepted', jobId: 'a', accepted: 1, seconds: 0.004 },
      { type: 'rejected', jobId: 'a', message: 'Duplicate share', code: 22, rejected: 1, seconds: 0.02 },
      { type: 'accepted', jobId: 'b', stale: true, accepted: 2, seconds: 0.003 },
      { type: 'stats', stats: { hashrate: 1.5e6, totalHashes: 3e6 } },
      { type: 'stats', hashrate: 2e6, totalHashes: 5e6 },
    ];
    for (const e of feed) events.next(e);
    text = (await metrics.scrape()).body;
    expect(text).toContain('lode_miner_connection_state{state="authorized"} 1');
    expect(text).toContain('lode_miner_connection_state{state="disconnected"} 0');
    expect(text).toContain('lode_miner_connection_attempts_total 2');
    expect(text).toContain('lode_miner_connections_total{dialect="bitcoin",user_agent="lode-miner/0.1.0"} 1');
    expect(text).toContain('lode_miner_disconnects_total 1');
    expect(text).toContain('lode_miner_sessions_total 1');
    expect(text).toContain('lode_miner_jobs_total{clean="true"} 1');
    expect(text).toContain('lode_miner_jobs_total{clean="false"} 1');
    expect(text).toContain('lode_miner_difficulty 0.25');
    expect(text).toContain('lode_miner_shares_submitted_total 3');
    expect(text).toContain('lode_miner_shares_total{verdict="accepted",reason="none"} 1');
    expect(text).toContain('lode_miner_shares_total{verdict="accepted",reason="stale"} 1');
    expect(text).toContain('lode_miner_shares_total{verdict="rejected",reason="duplicate"} 1');
    expect(text).toContain('lode_miner_share_reply_seconds_bucket{le="0.005",verdict="accepted"} 2');
    expect(text).toContain('lode_miner_share_reply_seconds_bucket{le="0.01",verdict="rejected"} 0');
    expect(text).toContain('lode_miner_share_reply_seconds_count{verdict="rejected"} 1');
    expect(text).toContain('lode_miner_hashrate_hashes_per_second 2000000');
    expect(text).toContain('lode_miner_hashes_total 5000000');
    expect(text).toContain('lode_nodejs_eventloop_lag_seconds');
  });

  it('counts a Warthog connection (no "connected" event) at its subscribe', async () => {
    const metrics = new MinerMetrics({ ...identity, coin: 'wart', dialect: 'warthog' });
    metrics.record({ type: 'connecting' });
    metrics.record({ type: 'subscribed' });
    expect((await metrics.scrape()).body).toContain('lode_miner_connections_total{dialect="warthog",user_agent="lode-miner/0.1.0"} 1');
  });
});
