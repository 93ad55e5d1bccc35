import { formatEthashLightReport, runEthashLightBench } from './ethash-light';

describe('runEthashLightBench', () => {
  describe('when run at the tiny sizes of facts/ethash.md §4.4 (cache 1 KiB, dataset 32 KiB)', () => {
    it('measures both implementations, finds they agree, and formats one line each with the ratios', async () => {
      const report = await runEthashLightBench({ cacheBytes: 1024, datasetBytes: 32768, nativeHashes: 20, baselineHashes: 3 });
      expect(report.agree).toBe(true);
      expect(report.native.verifyMs).toBeGreaterThan(0);
      expect(report.baseline.verifyMs).toBeGreaterThan(0);
      const lines = formatEthashLightReport(report);
      expect(lines).toHaveLength(4);
      expect(lines[1]).toContain('@ethereumjs/ethash');
      expect(lines[2]).toMatch(/cache x[0-9.]+, verify x[0-9.]+$/);
      expect(lines[3]).toBe('same mix and final from both: yes');
    });
  });
});
