import { formatProxyLatencyReport, runProxyLatencyBench } from './proxy-latency';

// Starts the devnet, the pool and the proxy from their dist/ (npx nx run-many -t build-native build).
describe('runProxyLatencyBench', () => {
  describe('when run with a tiny budget', () => {
    it('measures both paths and the forwarded shares, every share accepted, and formats the table', async () => {
      const report = await runProxyLatencyBench({ seconds: 1, rounds: 2, connections: 2, warmupSeconds: 0.2 });
      expect(report).toMatchObject({ connections: 2, inFlight: 1, rounds: 2, difficulty: 1e-8 });
      for (const path of [report.direct, report.proxy]) {
        expect(path.accepted).toBeGreaterThan(0);
        // no block is found at nbits 1d00ffff, so no share goes stale: every reply is result true
        expect(path.refused).toEqual({});
        expect(path.submitted).toBe(path.accepted);
        expect(path.rtt.samples).toBe(path.submitted);
        expect(path.rtt.p99Ms).toBeGreaterThanOrEqual(path.rtt.p50Ms);
        expect(path.sharesPerSecond).toBeGreaterThan(0);
      }
      // the pool answered every share the proxy accepted, and accepted each one
      expect(report.forwarded).toMatchObject({ forwarded: report.proxy.accepted, accepted: report.proxy.accepted, rejected: 0, failed: 0 });
      expect(report.addedLatency.p50Ms).toBe(report.proxy.rtt.p50Ms - report.direct.rtt.p50Ms);

      const lines = formatProxyLatencyReport(report);
      expect(lines).toHaveLength(8);
      expect(lines[0]).toBe('2 connections x 1 in flight per path, 2 interleaved rounds, share difficulty 1e-8');
      expect(lines[2]).toMatch(/^direct to the pool +\d+ +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9,]+ +x1\.00$/);
      expect(lines[3]).toMatch(/^via the proxy +\d+ +[0-9.]+ ms +[0-9.]+ ms +[0-9.]+ ms +[0-9,]+ +x[0-9.e-]+$/);
      expect(lines[4]).toMatch(/^forwarded by the proxy, accepted by the pool +\d+ +[0-9,]+ +x[0-9.e-]+$/);
      expect(lines[5]).toMatch(/^added by the proxy: p50 [+-][0-9.]+ ms, p99 [+-][0-9.]+ ms/);
      expect(lines[7]).toBe('refused replies: direct 0, via the proxy 0');
    }, 180_000);
  });
});
