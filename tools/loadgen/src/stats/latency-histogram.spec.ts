import { LatencyHistogram } from './latency-histogram';

describe('LatencyHistogram', () => {
  describe('when every sample is below 256 µs (one bucket per microsecond)', () => {
    it('gives exact nearest-rank percentiles: 1..100 µs -> p50 50 µs, p99 99 µs, p999 100 µs', () => {
      const h = new LatencyHistogram();
      for (let us = 1; us <= 100; us++) h.record(us / 1000);
      expect(h.count).toBe(100);
      expect(h.percentile(0.5)).toBe(0.05);
      expect(h.percentile(0.99)).toBe(0.099);
      expect(h.percentile(0.999)).toBe(0.1);
      expect(h.maxMs).toBe(0.1);
      expect(h.minMs).toBe(0.001);
      // (1 + 100) / 2 µs
      expect(h.meanMs).toBeCloseTo(0.0505, 12);
    });
  });

  describe('when samples fall in the log-linear buckets', () => {
    it('reports the highest value of the bucket, capped at the largest sample', () => {
      const h = new LatencyHistogram();
      // 1000 µs: floor(log2) = 9, shift 2, bucket [1000, 1003]; 2001 µs: shift 3, bucket [2000, 2007]
      h.record(1.0);
      h.record(2.001);
      expect(h.percentile(0.5)).toBe(1.003);
      expect(h.percentile(0.99)).toBe(2.001);
      expect(h.maxMs).toBe(2.001);
    });

    it('990 x 0.2 ms, 9 x 5 ms, 1 x 120 ms -> p50 0.2, p99 0.2, p999 5.023, p100 120 ms, mean 0.363 ms', () => {
      const h = new LatencyHistogram();
      for (let i = 0; i < 990; i++) h.record(0.2);
      for (let i = 0; i < 9; i++) h.record(5);
      h.record(120);
      expect(h.count).toBe(1000);
      expect(h.percentile(0.5)).toBe(0.2);
      expect(h.percentile(0.99)).toBe(0.2);
      // rank 999 is a 5 ms sample: 5000 µs, shift 5, bucket [4992, 5023]
      expect(h.percentile(0.999)).toBe(5.023);
      // 120000 µs: shift 9, bucket [119808, 120319], capped at the sample
      expect(h.percentile(1)).toBe(120);
      // (990 * 200 + 9 * 5000 + 120000) / 1000 µs = 363 µs
      expect(h.meanMs).toBeCloseTo(0.363, 12);
    });
  });

  describe('when a sample is above the last bucket (2^31 - 1 µs)', () => {
    it('counts it in the last bucket and keeps the exact maximum', () => {
      const h = new LatencyHistogram();
      h.record(3_000_000);
      expect(h.maxMs).toBe(3_000_000);
      expect(h.percentile(1)).toBe(2_147_483.647);
    });
  });

  describe('when empty, reset, or given odd input', () => {
    it('answers NaN when empty, forgets on reset, counts negatives as 0, refuses a percentile outside (0, 1]', () => {
      const h = new LatencyHistogram();
      expect(h.percentile(0.5)).toBeNaN();
      expect(h.maxMs).toBeNaN();
      h.record(-3);
      h.record(Number.NaN);
      expect(h.count).toBe(2);
      expect(h.percentile(1)).toBe(0);
      h.reset();
      expect(h.count).toBe(0);
      expect(h.percentile(0.99)).toBeNaN();
      expect(() => h.percentile(0)).toThrow(RangeError);
      expect(() => h.percentile(1.5)).toThrow(RangeError);
    });
  });
});
