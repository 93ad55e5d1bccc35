import { LodeError } from '@lode/stratum-core';
import { pplnsSplit } from './pplns-split';

// A:1, B:1, A:2, C:4 in submission order (C newest), total 8.
const shares = [
  { worker: 'A', difficulty: 1 },
  { worker: 'B', difficulty: 1 },
  { worker: 'A', difficulty: 2 },
  { worker: 'C', difficulty: 4 },
];
const reward = 800_000_000n;

describe('pplnsSplit', () => {
  describe('when N = 6 ends exactly on a share boundary', () => {
    it('counts C:4 and A:2 only', () => {
      // window (newest first): C 4, A 2 = 6
      // A: floor(800_000_000 * 2/6) = floor(266_666_666.67) = 266_666_666
      // C: floor(800_000_000 * 4/6) = floor(533_333_333.33) = 533_333_333
      // sum 799_999_999: the remaining 1 goes to C (largest) -> 533_333_334
      expect(pplnsSplit(shares, reward, 6)).toEqual(
        new Map([
          ['C', 533_333_334n],
          ['A', 266_666_666n],
        ]),
      );
    });
  });

  describe('when N = 7', () => {
    it('counts C:4, A:2, B:1', () => {
      // A: floor(800_000_000 * 2/7) = floor(228_571_428.57) = 228_571_428
      // B: floor(800_000_000 * 1/7) = floor(114_285_714.29) = 114_285_714
      // C: floor(800_000_000 * 4/7) = floor(457_142_857.14) = 457_142_857
      // sum 799_999_999: the remaining 1 goes to C -> 457_142_858
      expect(pplnsSplit(shares, reward, 7)).toEqual(
        new Map([
          ['C', 457_142_858n],
          ['A', 228_571_428n],
          ['B', 114_285_714n],
        ]),
      );
    });
  });

  describe('when N = 5 cuts a share', () => {
    it('counts only the part of the boundary share that fits', () => {
      // C 4, then 1 of A's 2: A 1/5 = 160_000_000, C 4/5 = 640_000_000
      expect(pplnsSplit(shares, reward, 5)).toEqual(
        new Map([
          ['C', 640_000_000n],
          ['A', 160_000_000n],
        ]),
      );
    });

    it('cuts fractional difficulties exactly', () => {
      // N = 0.75: C 0.5, then 0.25 of A's 0.5 -> A 1/3, C 2/3 of 300 = 100, 200
      const split = pplnsSplit(
        [
          { worker: 'A', difficulty: 0.5 },
          { worker: 'C', difficulty: 0.5 },
        ],
        300n,
        0.75,
      );
      expect(split).toEqual(
        new Map([
          ['C', 200n],
          ['A', 100n],
        ]),
      );
    });
  });

  describe('when N = 10 exceeds the whole history (8)', () => {
    it('counts every share, as PROP over the history would', () => {
      // A 3/8, B 1/8, C 4/8 of 800_000_000
      expect(pplnsSplit(shares, reward, 10)).toEqual(
        new Map([
          ['A', 300_000_000n],
          ['B', 100_000_000n],
          ['C', 400_000_000n],
        ]),
      );
    });
  });

  describe('when the split is summed', () => {
    it('always adds up to the reward', () => {
      for (const n of [0.5, 1, 2.5, 3, 4, 5, 6, 7, 7.9, 8, 100]) {
        const split = pplnsSplit(shares, 1_234_567_891n, n);
        expect([...split.values()].reduce((a, b) => a + b, 0n)).toBe(1_234_567_891n);
      }
    });
  });

  describe('when the input is invalid', () => {
    it('refuses a window that is not a positive difficulty', () => {
      for (const n of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => pplnsSplit(shares, reward, n)).toThrow(/PPLNS window N/);
      }
      expect(() => pplnsSplit(shares, reward, 0)).toThrow(LodeError);
    });

    it('refuses an empty history', () => {
      expect(() => pplnsSplit([], reward, 6)).toThrow(/no credited difficulty/);
    });

    it('refuses a negative difficulty', () => {
      expect(() => pplnsSplit([{ worker: 'A', difficulty: -2 }], reward, 6)).toThrow(/finite and >= 0/);
    });
  });
});
