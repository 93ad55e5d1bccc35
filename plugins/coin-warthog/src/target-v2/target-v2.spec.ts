import { difficultyFromTarget, targetFromDifficulty } from '@lode/mining';
import { LodeError } from '@lode/plugin-api';
import { A1, A4, DIFFICULTY_TARGETS } from '../testing/warthog-vectors.fixture';
import { decodeTargetV2 } from './decode-target-v2';
import { difficultyToTargetV2 } from './difficulty-to-target-v2';
import { targetV2ToBigint } from './target-v2-to-bigint';
import { targetV2ToDifficulty } from './target-v2-to-difficulty';
import { WARTHOG_DIFF1_TARGET } from './warthog-diff1-target';

const hex = (n: number): string => n.toString(16).padStart(8, '0');

describe('TargetV2', () => {
  describe('when decoded', () => {
    it('splits 0ae7cde7 into 43 zeros and the mantissa 0x27cde7 (facts §3.1)', () => {
      expect(decodeTargetV2(0x0ae7cde7)).toEqual({ zeros: 43, bits: 0x27cde7 });
    });

    it('refuses what is not a uint32, and a zero mantissa', () => {
      expect(() => decodeTargetV2(-1)).toThrow(LodeError);
      expect(() => decodeTargetV2(2 ** 32)).toThrow('a TargetV2 is a uint32, got 4294967296');
      expect(() => decodeTargetV2(0x0ac00000)).toThrow('TargetV2 0ac00000 has a zero mantissa');
    });
  });

  describe('when turned into a difficulty', () => {
    it("gives the node's difficulty of block 1949766 (§3.1, §6-A A1) and of the A4 header", () => {
      expect(targetV2ToDifficulty(A1.target)).toBe(A1.difficulty);
      expect(targetV2ToDifficulty(A4.target)).toBe(A4.difficulty);
    });

    it.each(DIFFICULTY_TARGETS)('gives 1/τ = $roundTrip for the target of difficulty $difficulty (§6-D)', ({ target, roundTrip }) => {
      expect(targetV2ToDifficulty(target)).toBe(roundTrip);
    });
  });

  describe('when made from a difficulty (upstream TargetV2(double))', () => {
    it.each(DIFFICULTY_TARGETS)('encodes $difficulty as the §6-D target', ({ difficulty, target }) => {
      expect(hex(difficultyToTargetV2(difficulty))).toBe(hex(target));
    });

    it('round-trips the difficulties the node reports (0ae7cde7, 0ba7c02f, 0af40502)', () => {
      for (const raw of [0x0ae7cde7, 0x0ba7c02f, A4.target]) {
        expect(hex(difficultyToTargetV2(targetV2ToDifficulty(raw)))).toBe(hex(raw));
      }
    });

    it('treats a difficulty below 1 as 1, and saturates past 2^768', () => {
      expect(hex(difficultyToTargetV2(0.25))).toBe('003fffff');
      expect(hex(difficultyToTargetV2(2 ** 800))).toBe('e00fffff');
    });

    it('refuses NaN and infinity', () => {
      expect(() => difficultyToTargetV2(Number.NaN)).toThrow('difficulty must be a finite number, got NaN');
      expect(() => difficultyToTargetV2(Number.POSITIVE_INFINITY)).toThrow(LodeError);
    });
  });

  describe('when turned into a 256-bit target', () => {
    it('is bits · 2^(234 - zeros), exact', () => {
      expect(targetV2ToBigint(0x0ae7cde7)).toBe(0x27cde7n << 191n);
      expect(targetV2ToBigint(0x003fffff)).toBe(0x3fffffn << 234n);
    });

    it('stands for the same difficulty against diff1 2^256 (block 1949766)', () => {
      expect(difficultyFromTarget(targetV2ToBigint(A1.target), WARTHOG_DIFF1_TARGET)).toBe(A1.difficulty);
    });

    it('refuses a mantissa that is not normalised and an exponent past 234', () => {
      expect(() => targetV2ToBigint(0x001fffff)).toThrow('TargetV2 001fffff has the mantissa 1fffff, below 200000 (not normalised)');
      expect(() => targetV2ToBigint(0xe00fffff)).toThrow(LodeError);
      expect(() => targetV2ToBigint((235 * 2 ** 22 + 0x200000) >>> 0)).toThrow('more than a 256-bit target holds (234)');
    });
  });

  describe("when the pool's share target (2^256 / D) is compared with the miner's TargetV2(D)", () => {
    it.each(DIFFICULTY_TARGETS)('differs by less than 2^-21 relative at $difficulty', ({ difficulty, target }) => {
      const pool = targetFromDifficulty(difficulty, WARTHOG_DIFF1_TARGET);
      const miner = targetV2ToBigint(target);
      const gap = pool > miner ? pool - miner : miner - pool;
      expect(gap * 2n ** 21n <= miner).toBe(true);
    });

    it('is never harder for a whole difficulty (the TargetV2 mantissa is rounded down)', () => {
      for (const { difficulty, target } of DIFFICULTY_TARGETS.filter((v) => Number.isInteger(v.difficulty))) {
        expect(targetFromDifficulty(difficulty, WARTHOG_DIFF1_TARGET) >= targetV2ToBigint(target)).toBe(true);
      }
    });
  });
});
