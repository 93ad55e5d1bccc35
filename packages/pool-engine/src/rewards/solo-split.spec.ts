import { LodeError } from '@lode/stratum-core';
import { soloSplit } from './solo-split';

describe('soloSplit', () => {
  describe('when a worker finds a block', () => {
    it('gives it the whole reward', () => {
      expect(soloSplit('C', 800_000_000n)).toEqual(new Map([['C', 800_000_000n]]));
    });
  });

  describe('when the input is invalid', () => {
    it('refuses an empty finder', () => {
      expect(() => soloSplit('', 1n)).toThrow(LodeError);
    });

    it('refuses a negative reward', () => {
      expect(() => soloSplit('C', -5n)).toThrow(/block reward is -5/);
    });
  });
});
