import { count, kib, mib, ms, ratio, table } from './format';

describe('format helpers', () => {
  describe('when given numbers', () => {
    it('formats counts, sizes, times and ratios', () => {
      expect(count(50000)).toBe('50,000');
      expect(kib(3277)).toBe('3.20 KiB');
      expect(mib(3 * 2 ** 20)).toBe('3.0 MiB');
      expect(ms(1.23456)).toBe('1.235 ms');
      expect(ms(Number.NaN)).toBe('-');
      expect(ratio(3.14159)).toBe('x3.14');
      expect(ratio(Number.POSITIVE_INFINITY)).toBe('-');
    });
  });

  describe('table', () => {
    it('pads the first column left and the others right', () => {
      expect(table([['a', 'bb'], ['ccc', 'd']])).toEqual(['a    bb', 'ccc   d']);
    });
  });
});
