import { medianTimePast } from './median-time-past';

describe('medianTimePast', () => {
  describe('when fewer than 11 times are known', () => {
    it('takes the element at floor(n / 2) of the sorted times', () => {
      expect(medianTimePast([100])).toBe(100);
      expect(medianTimePast([100, 200])).toBe(200);
      expect(medianTimePast([300, 100, 200])).toBe(200);
    });
  });

  describe('when more than 11 times are given', () => {
    it('uses only the last 11', () => {
      const times = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
      expect(medianTimePast(times)).toBe(9);
    });
  });
});
