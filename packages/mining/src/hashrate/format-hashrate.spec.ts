import { formatHashrate } from './format-hashrate';

describe('formatHashrate', () => {
  describe('when given rates across the units', () => {
    it('picks the decimal unit and prints two decimals', () => {
      expect(formatHashrate(0)).toBe('0.00 H/s');
      expect(formatHashrate(950)).toBe('950.00 H/s');
      expect(formatHashrate(1500)).toBe('1.50 kH/s');
      expect(formatHashrate(12_345_678)).toBe('12.35 MH/s');
      expect(formatHashrate(3.2e12)).toBe('3.20 TH/s');
    });
  });

  describe('when the rate is not a positive number', () => {
    it('prints zero', () => {
      expect(formatHashrate(Number.NaN)).toBe('0.00 H/s');
      expect(formatHashrate(-5)).toBe('0.00 H/s');
    });
  });
});
