import { LodeError } from '@lode/stratum-core';
import { MAX_TARGET } from './max-target';
import { targetToHex } from './target-to-hex';

describe('targetToHex', () => {
  describe('when the target is in range', () => {
    it('pads to 64 hex digits, big-endian', () => {
      expect(targetToHex(0n)).toBe('0'.repeat(64));
      expect(targetToHex(0x12n)).toBe('0'.repeat(62) + '12');
      expect(targetToHex(MAX_TARGET)).toBe('f'.repeat(64));
    });
  });

  describe('when the target is out of range', () => {
    it('throws a protocol error', () => {
      expect(() => targetToHex(-1n)).toThrow(LodeError);
      expect(() => targetToHex(MAX_TARGET + 1n)).toThrow('target must be a bigint in [0, 2^256 - 1]');
    });
  });
});
