import { percentile, summarize } from './percentile';

describe('percentile', () => {
  describe('when given sorted samples', () => {
    it('returns the nearest-rank sample', () => {
      const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      // rank ceil(0.5 * 10) = 5 -> 5; ceil(0.99 * 10) = 10 -> 10; ceil(0.1 * 10) = 1 -> 1
      expect(percentile(ten, 0.5)).toBe(5);
      expect(percentile(ten, 0.99)).toBe(10);
      expect(percentile(ten, 0.1)).toBe(1);
      expect(percentile(ten, 0)).toBe(1);
      expect(percentile(ten, 1)).toBe(10);
      // 200 samples 1..200: p99 is rank 198
      expect(percentile(Array.from({ length: 200 }, (_, i) => i + 1), 0.99)).toBe(198);
    });
  });

  describe('when there are no samples', () => {
    it('returns NaN', () => {
      expect(percentile([], 0.5)).toBeNaN();
    });
  });

  describe('when p is outside [0, 1]', () => {
    it('throws a RangeError naming p', () => {
      expect(() => percentile([1], 99)).toThrow('percentile p is 99, it must be in [0, 1]');
      expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
    });
  });
});

describe('summarize', () => {
  describe('when given unsorted samples', () => {
    it('sorts a copy and reports count, p50, p99, mean, min and max', () => {
      const samples = [9, 1, 5, 3, 7];
      expect(summarize(samples)).toEqual({ count: 5, p50: 5, p99: 9, mean: 5, min: 1, max: 9 });
      expect(samples).toEqual([9, 1, 5, 3, 7]);
    });
  });

  describe('when there are no samples', () => {
    it('reports count 0 and NaN figures', () => {
      const s = summarize([]);
      expect(s.count).toBe(0);
      expect(s.p50).toBeNaN();
      expect(s.mean).toBeNaN();
    });
  });
});
