import { formatRedisShareLogReport, runRedisShareLogBench } from './redis-share-log';

describe('runRedisShareLogBench', () => {
  describe('when run with a few records', () => {
    it('measures the memory baseline and every Redis row, and formats one line each', async () => {
      const report = await runRedisShareLogBench({ records: 300, inFlight: 50, sequentialRecords: 20 });
      expect(report.baseline.records).toBe(300);
      expect(report.baseline.rate).toBeGreaterThan(0);
      expect(report.redis.map((row) => row.records)).toEqual([300, 300, 20]);
      for (const row of report.redis) expect(row.rate).toBeGreaterThan(0);
      const lines = formatRedisShareLogReport(report);
      expect(lines).toHaveLength(1 + 1 + report.redis.length);
      expect(lines[1]).toContain('MemoryShareStore (baseline)');
      expect(lines[2]).toMatch(/RedisShareStore, auto-pipelined, 50 in flight .* x[0-9.e-]+$/);
    });
  });
});
