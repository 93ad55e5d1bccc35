import { LodeError } from '@lode/stratum-core';
import { BITCOIN_DIFF1_TARGET } from './bitcoin-diff1-target';
import { MAX_TARGET } from './max-target';
import { targetFromDifficulty } from './target-from-difficulty';
import { targetToHex } from './target-to-hex';

const zeros = (n: number): string => '0'.repeat(n);

describe('targetFromDifficulty', () => {
  describe('when given the values in facts/bitcoin-stratum.md "Targets"', () => {
    it('maps difficulty 1 to 0x00000000ffff0000...', () => {
      expect(targetToHex(targetFromDifficulty(1, BITCOIN_DIFF1_TARGET))).toBe('00000000ffff' + zeros(52));
    });

    it('maps difficulty 0.001 to 000003e7fc18 followed by 52 zeros', () => {
      expect(targetToHex(targetFromDifficulty(0.001, BITCOIN_DIFF1_TARGET))).toBe('000003e7fc18' + zeros(52));
    });
  });

  describe('when the difficulty is a decimal fraction', () => {
    it('reads 1e-8 as exactly 1/10^8 (0xffff * 10^8 = 0x5f5db0a1f00)', () => {
      expect(targetToHex(targetFromDifficulty(1e-8, BITCOIN_DIFF1_TARGET))).toBe('05f5db0a1f00' + zeros(52));
    });

    it('reads 0.1 as 1/10, where the nearest double is not', () => {
      expect(targetFromDifficulty(0.1, BITCOIN_DIFF1_TARGET)).toBe(BITCOIN_DIFF1_TARGET * 10n);
    });

    it('reads 2.5 as 5/2', () => {
      expect(targetFromDifficulty(2.5, BITCOIN_DIFF1_TARGET)).toBe((BITCOIN_DIFF1_TARGET * 2n) / 5n);
    });
  });

  describe('when the division is not exact', () => {
    it('rounds down (difficulty 3: 0xffff / 3 = 0x5555)', () => {
      expect(targetToHex(targetFromDifficulty(3, BITCOIN_DIFF1_TARGET))).toBe('0000000055550000' + zeros(48));
      expect(targetFromDifficulty(7, BITCOIN_DIFF1_TARGET)).toBe(BITCOIN_DIFF1_TARGET / 7n);
    });
  });

  describe('when the result leaves [1, 2^256 - 1]', () => {
    it('clamps a tiny difficulty to MAX_TARGET', () => {
      expect(targetFromDifficulty(1e-30, BITCOIN_DIFF1_TARGET)).toBe(MAX_TARGET);
      expect(targetFromDifficulty(Number.MIN_VALUE, BITCOIN_DIFF1_TARGET)).toBe(MAX_TARGET);
    });

    it('clamps a huge difficulty to 1', () => {
      expect(targetFromDifficulty(1e300, BITCOIN_DIFF1_TARGET)).toBe(1n);
      expect(targetFromDifficulty(Number.MAX_VALUE, BITCOIN_DIFF1_TARGET)).toBe(1n);
    });

    it('handles a diff1 of 2^256 (ethash boundary) at difficulty 1', () => {
      expect(targetFromDifficulty(1, 2n ** 256n)).toBe(MAX_TARGET);
      expect(targetFromDifficulty(2, 2n ** 256n)).toBe(2n ** 255n);
    });
  });

  describe('when the difficulty is not a finite number > 0', () => {
    it.each([[-1], [0], [-0], [Number.NaN], [Number.POSITIVE_INFINITY]])('throws a protocol error for %p', (d) => {
      expect(() => targetFromDifficulty(d, BITCOIN_DIFF1_TARGET)).toThrow(LodeError);
      try {
        targetFromDifficulty(d, BITCOIN_DIFF1_TARGET);
      } catch (e) {
        expect(LodeError.is(e, 'protocol')).toBe(true);
      }
    });

    it('names the value in the message', () => {
      expect(() => targetFromDifficulty(-1, BITCOIN_DIFF1_TARGET)).toThrow(
        'difficulty must be a finite number > 0, got -1',
      );
    });

    it('throws for a diff1Target <= 0', () => {
      expect(() => targetFromDifficulty(1, 0n)).toThrow('diff1Target must be a bigint > 0, got 0');
    });
  });
});
