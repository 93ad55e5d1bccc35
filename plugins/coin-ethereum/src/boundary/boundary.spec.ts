import { difficultyFromTarget, targetFromDifficulty } from '@lode/mining';
import { LodeError } from '@lode/plugin-api';
import { NICEHASH_SHARE } from '../testing/ethash-vectors.fixture';
import { boundaryFromDifficulty } from './boundary-from-difficulty';
import { boundaryToHex } from './boundary-to-hex';
import { difficultyFromBoundary } from './difficulty-from-boundary';
import { ETHASH_DIFF1_TARGET } from './ethash-diff1-target';
import { parseBoundary } from './parse-boundary';

const ALL_FF = `0x${'f'.repeat(64)}`;

describe('ethash boundaries', () => {
  describe('when a difficulty becomes a boundary', () => {
    it('maps difficulties 0 and 1 to 2^256 - 1, as chfast does (facts/ethash.md §2.6)', () => {
      expect(boundaryToHex(boundaryFromDifficulty(0n))).toBe(ALL_FF);
      expect(boundaryToHex(boundaryFromDifficulty(1))).toBe(ALL_FF);
    });

    it('divides 2^256 by the difficulty, rounding down', () => {
      // 2^256 / 2 = 0x80 then 62 zeros; 2^256 / 3 = 0x5555...5555 (64 digits)
      expect(boundaryToHex(boundaryFromDifficulty(2))).toBe(`0x80${'0'.repeat(62)}`);
      expect(boundaryToHex(boundaryFromDifficulty(3n))).toBe(`0x${'5'.repeat(64)}`);
      // 2^32: the boundary 0x00000001 then 56 zeros
      expect(boundaryToHex(boundaryFromDifficulty(2 ** 32))).toBe(`0x00000001${'0'.repeat(56)}`);
    });

    it('refuses negative and fractional difficulties', () => {
      expect(() => boundaryFromDifficulty(-1n)).toThrow(LodeError);
      expect(() => boundaryFromDifficulty(1.5)).toThrow(/integer >= 0, got 1.5/);
    });
  });

  describe('when a boundary becomes a difficulty', () => {
    it('gives the NiceHash example share 1.863 in EthereumStratum/1.0.0 units of 2^32 (facts/ethash.md §4.5)', () => {
      const final = BigInt(`0x${NICEHASH_SHARE.final}`);
      const difficulty = difficultyFromBoundary(final);
      expect(Number(difficulty) / 2 ** 32).toBeCloseTo(1.863, 3);
      // @lode/mining with diff1 = 2^256 reads the same number
      expect(difficultyFromTarget(final, ETHASH_DIFF1_TARGET) / 2 ** 32).toBeCloseTo(1.863, 3);
    });

    it('reads the EthereumStratum/1.0.0 difficulty-1 target 0x00000000ffff0000... as 2^48 / 0xffff (facts/ethash.md §1.2)', () => {
      expect(difficultyFromBoundary(parseBoundary(`0x00000000ffff${'0'.repeat(52)}`))).toBe(2n ** 48n / 0xffffn);
    });

    it('inverts boundaryFromDifficulty (open-ethereum-pool GetTargetHex / TargetHexToDiff, §4.8)', () => {
      for (const d of [1n, 2n, 2_000_000_000n, 13_000_000_000_000_000n]) {
        expect(difficultyFromBoundary(boundaryFromDifficulty(d))).toBe(d);
      }
    });

    it('refuses 0 and 2^256', () => {
      expect(() => difficultyFromBoundary(0n)).toThrow(LodeError);
      expect(() => difficultyFromBoundary(2n ** 256n)).toThrow(/\[1, 2\^256 - 1\]/);
    });
  });

  describe('when stratum difficulty meets @lode/mining', () => {
    it('gives the same boundary as targetFromDifficulty with diff1 = 2^256, clamped at difficulty 1', () => {
      expect(targetFromDifficulty(2_000_000_000, ETHASH_DIFF1_TARGET)).toBe(boundaryFromDifficulty(2_000_000_000n));
      expect(targetFromDifficulty(1, ETHASH_DIFF1_TARGET)).toBe(boundaryFromDifficulty(1n));
    });
  });

  describe('when boundaries are read and printed', () => {
    it('reads the EIP-1571 mining.set target without leading zeros and prints it padded (facts/ethash.md §1.3)', () => {
      const target = '0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba';
      const boundary = parseBoundary(target);
      expect(boundaryToHex(boundary)).toBe(`0x000000${target}`);
      expect(parseBoundary(`0x000000${target.toUpperCase()}`)).toBe(boundary);
    });

    it('refuses what is not 1 to 64 hex digits, and zero', () => {
      expect(() => parseBoundary('0x')).toThrow(LodeError);
      expect(() => parseBoundary(`0x1${'0'.repeat(64)}`)).toThrow(/up to 64 hex digits/);
      expect(() => parseBoundary('0xzz')).toThrow(LodeError);
      expect(() => parseBoundary('0x00', 'eth_getWork boundary')).toThrow('eth_getWork boundary is zero');
      expect(() => boundaryToHex(2n ** 256n)).toThrow(LodeError);
    });
  });
});
