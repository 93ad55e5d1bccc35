import { LodeError } from '@lode/stratum-core';
import { propSplit } from './prop-split';

// The sequence used by every split's tests: A:1, B:1, A:2, C:4 (total 8).
const shares = [
  { worker: 'A', difficulty: 1 },
  { worker: 'B', difficulty: 1 },
  { worker: 'A', difficulty: 2 },
  { worker: 'C', difficulty: 4 },
];

describe('propSplit', () => {
  describe('when the round is A:1, B:1, A:2, C:4 and the reward 800_000_000', () => {
    it('pays each worker its part of the round total 8', () => {
      // A: 800_000_000 * 3/8 = 300_000_000
      // B: 800_000_000 * 1/8 = 100_000_000
      // C: 800_000_000 * 4/8 = 400_000_000 (exact: no remainder)
      expect(propSplit(shares, 800_000_000n)).toEqual(
        new Map([
          ['A', 300_000_000n],
          ['B', 100_000_000n],
          ['C', 400_000_000n],
        ]),
      );
    });

    it('gives the same split for per-worker round totals', () => {
      const totals = [
        { worker: 'C', difficulty: 4 },
        { worker: 'A', difficulty: 3 },
        { worker: 'B', difficulty: 1 },
      ];
      expect(propSplit(totals, 800_000_000n)).toEqual(propSplit(shares, 800_000_000n));
    });
  });

  describe('when the parts do not divide the reward', () => {
    it('floors each part and gives the remainder to the largest contributor', () => {
      // A:1, B:2 of 3, reward 100: A floor(100/3) = 33, B floor(200/3) = 66,
      // 33 + 66 = 99, the remaining 1 to B (largest) -> B 67
      const split = propSplit(
        [
          { worker: 'A', difficulty: 1 },
          { worker: 'B', difficulty: 2 },
        ],
        100n,
      );
      expect(split).toEqual(
        new Map([
          ['A', 33n],
          ['B', 67n],
        ]),
      );
    });

    it('breaks a tie for the largest part by name, whatever the order', () => {
      // A:1, B:1, reward 3: 1 each, remainder 1 to "A" (sorts first)
      const expected = new Map([
        ['A', 2n],
        ['B', 1n],
      ]);
      const a = { worker: 'A', difficulty: 1 };
      const b = { worker: 'B', difficulty: 1 };
      expect(propSplit([a, b], 3n)).toEqual(expected);
      expect(propSplit([b, a], 3n)).toEqual(expected);
    });
  });

  describe('when difficulties are fractional', () => {
    it('splits exactly, without float rounding', () => {
      // 0.2 is exactly twice 0.1 as doubles (same mantissa, exponent + 1),
      // so A:0.1, B:0.2 of reward 3 is exactly A 1, B 2. In float arithmetic
      // 3 * 0.1 / (0.1 + 0.2) = 0.9999999999999999 would floor to 0.
      const split = propSplit(
        [
          { worker: 'A', difficulty: 0.1 },
          { worker: 'B', difficulty: 0.2 },
        ],
        3n,
      );
      expect(split).toEqual(
        new Map([
          ['A', 1n],
          ['B', 2n],
        ]),
      );
    });
  });

  describe('when a worker has only zero-difficulty shares', () => {
    it('leaves it out of the split', () => {
      const split = propSplit(
        [
          { worker: 'A', difficulty: 0 },
          { worker: 'B', difficulty: 5 },
        ],
        10n,
      );
      expect(split).toEqual(new Map([['B', 10n]]));
    });
  });

  describe('when the input is invalid', () => {
    it('refuses an empty round', () => {
      expect(() => propSplit([], 1n)).toThrow(LodeError);
      expect(() => propSplit([], 1n)).toThrow(/no credited difficulty/);
    });

    it('refuses a negative or non-finite difficulty', () => {
      for (const difficulty of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
        const thrown = (() => {
          try {
            propSplit([{ worker: 'A', difficulty }], 1n);
          } catch (e) {
            return e;
          }
          return undefined;
        })();
        expect(LodeError.is(thrown, 'share')).toBe(true);
      }
    });

    it('refuses a negative reward', () => {
      expect(() => propSplit(shares, -1n)).toThrow(/block reward is -1/);
    });
  });
});
