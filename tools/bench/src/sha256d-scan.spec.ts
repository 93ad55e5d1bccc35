import { formatSha256dScanReport, runSha256dScanBench } from './sha256d-scan';

describe('runSha256dScanBench', () => {
  describe('when run with a tiny budget', () => {
    it('measures the baseline and every native path, and formats one line each', async () => {
      const report = await runSha256dScanBench({ seconds: 0.02, allCores: false });
      expect(report.baseline.hashes).toBeGreaterThan(0);
      expect(report.native.map((row) => row.name)).toContain('native scan, portable, 1 thread');
      for (const row of report.native) expect(row.hashes).toBeGreaterThan(0);
      const lines = formatSha256dScanReport(report);
      expect(lines).toHaveLength(2 + report.native.length);
      expect(lines[1]).toContain('JS createHash x2 (baseline)');
      expect(lines[2]).toMatch(/ x[0-9.]+$/);
    });
  });
});
