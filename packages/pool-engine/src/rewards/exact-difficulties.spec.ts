import { exactDifficulties } from './exact-difficulties';

describe('exactDifficulties', () => {
  describe('when values have different binary exponents', () => {
    it('keeps their exact ratios on one scale', () => {
      // 0.5 = 1 * 2^-1, 3 = 3 * 2^0, 0.25 = 1 * 2^-2: on the 2^-2 scale 2, 12, 1
      expect(exactDifficulties([0.5, 3, 0.25], 'x')).toEqual([2n, 12n, 1n]);
    });

    it('maps 0 to 0 and handles subnormals', () => {
      const [zero, tiny, one] = exactDifficulties([0, Number.MIN_VALUE, 1], 'x');
      expect(zero).toBe(0n);
      expect(tiny).toBe(1n);
      expect(one).toBe(1n << 1074n);
    });
  });
});
