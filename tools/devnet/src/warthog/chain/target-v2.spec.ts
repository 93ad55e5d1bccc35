import { LodeError } from '@lode/stratum-core';
import { difficultyFromTargetV2, targetV2FromDifficulty, targetV2Hex } from './target-v2';

describe('targetV2FromDifficulty', () => {
  describe('when given the difficulties of facts/warthog.md §6-D', () => {
    // facts/warthog.md §6-D: difficulty, TargetV2 hex, 1/τ after encoding
    const vectors: Array<[number, string, number]> = [
      [1, '003fffff', 1.0000002384186359],
      [2, '007fffff', 2.0000004768372719],
      [1000, '0260c49b', 1000.0003017486052],
      [50000, '03e9f16b', 50000.001263106271],
      [100000, '0429f16b', 100000.00252621254],
      [500000, '04a18def', 500000.05810580426],
      [1000000, '04e18def', 1000000.1162116085],
      [14142941042437.885, '0ae7cde7', 14142941042437.885],
      [113296059763991.22, '0ba7c02f', 113296059763991.22],
    ];
    it.each(vectors)('encodes %p as %s and decodes it back to %p', (difficulty, hex, roundTrip) => {
      const target = targetV2FromDifficulty(difficulty);
      expect(targetV2Hex(target)).toBe(hex);
      expect(difficultyFromTargetV2(target)).toBe(roundTrip);
    });
  });

  describe('when the difficulty is below 1', () => {
    it('encodes it as difficulty 1', () => {
      expect(targetV2Hex(targetV2FromDifficulty(0.25))).toBe('003fffff');
    });
  });

  describe('when the difficulty is not a finite positive number', () => {
    it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('throws a config error for %p', (difficulty) => {
      expect(() => targetV2FromDifficulty(difficulty)).toThrow(LodeError);
    });
  });
});
