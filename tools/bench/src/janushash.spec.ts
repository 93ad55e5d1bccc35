import { formatJanushashReport, runJanushashBench } from './janushash';

describe('runJanushashBench', () => {
  describe('when run with a tiny budget', () => {
    it('measures VerusHash and the scan on every implementation this CPU has, and formats one line each', async () => {
      const report = await runJanushashBench({ seconds: 0.05 });
      expect(report.verus.map((r) => r.name)).toContain('VerusHash v2.2, portable, one call per header');
      expect(report.scan).toHaveLength(report.verus.length);
      for (const row of [...report.verus, ...report.scan]) expect(row.hashes).toBeGreaterThan(0);
      const lines = formatJanushashReport(report);
      expect(lines).toHaveLength(1 + report.verus.length + report.scan.length);
      expect(lines[1]).toMatch(/ x1\.00$/);
    });
  });
});
