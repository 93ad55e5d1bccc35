import { LodeError } from '@lode/stratum-core';
import { BITCOIN_DIFF1_TARGET } from './bitcoin-diff1-target';
import { difficultyFromTarget } from './difficulty-from-target';
import { MAX_TARGET } from './max-target';
import { targetFromDifficulty } from './target-from-difficulty';

const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / expected;

describe('difficultyFromTarget', () => {
  describe('when the target is the diff1 target', () => {
    it('returns 1', () => {
      expect(difficultyFromTarget(BITCOIN_DIFF1_TARGET, BITCOIN_DIFF1_TARGET)).toBe(1);
    });
  });

  describe('when the target is the network target of nbits 1a44b9f2 (block 125552)', () => {
    it('returns 0xffff * 2^24 / 0x44b9f2', () => {
      const target = 0x44b9f2n << 184n;
      expect(relativeError(difficultyFromTarget(target, BITCOIN_DIFF1_TARGET), (0xffff * 2 ** 24) / 0x44b9f2)).toBeLessThan(
        1e-15,
      );
    });
  });

  describe('when the target comes from a fractional difficulty', () => {
    it.each([[0.001], [1e-8], [0.3], [123.456], [1e12]])('gives back %p to 15 digits', (d) => {
      expect(relativeError(difficultyFromTarget(targetFromDifficulty(d, BITCOIN_DIFF1_TARGET), BITCOIN_DIFF1_TARGET), d)).toBeLessThan(
        1e-15,
      );
    });
  });

  describe('when the target is tiny or maximal', () => {
    it('returns diff1 itself for target 1', () => {
      expect(difficultyFromTarget(1n, BITCOIN_DIFF1_TARGET)).toBe(0xffff * 2 ** 208);
    });

    it('returns about 0xffff / 2^48 for 2^256 - 1', () => {
      expect(relativeError(difficultyFromTarget(MAX_TARGET, BITCOIN_DIFF1_TARGET), 0xffff / 2 ** 48)).toBeLessThan(1e-15);
    });

    it('stays precise for a target of 3 (a quotient with no exact double)', () => {
      // 0xffff * 2^208 / 3 = 0x5555 * 2^208 exactly
      expect(difficultyFromTarget(3n, BITCOIN_DIFF1_TARGET)).toBe(0x5555 * 2 ** 208);
    });
  });

  describe('when the target is not > 0', () => {
    it('throws a protocol error naming the value', () => {
      expect(() => difficultyFromTarget(0n, BITCOIN_DIFF1_TARGET)).toThrow('target must be a bigint > 0, got 0');
      expect(() => difficultyFromTarget(-5n, BITCOIN_DIFF1_TARGET)).toThrow(LodeError);
    });
  });
});
