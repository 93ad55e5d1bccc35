import { LodeError } from '@lode/stratum-core';
import { hexToUint32, isHexBytes, parseUint32Hex, uint32ToHex } from './hex';

describe('uint32 hex helpers', () => {
  describe('when writing a uint32', () => {
    it('gives 8 hex digits big-endian, as notify prints version, nbits and ntime', () => {
      // facts/bitcoin-stratum.md rule 2 and the block 125552 vector
      expect(uint32ToHex(0x20000000)).toBe('20000000');
      expect(uint32ToHex(1)).toBe('00000001');
      expect(uint32ToHex(0x1a44b9f2)).toBe('1a44b9f2');
      expect(uint32ToHex(0xffffffff)).toBe('ffffffff');
    });

    it('refuses anything that is not a uint32', () => {
      for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
        expect(() => uint32ToHex(bad)).toThrow(LodeError);
      }
    });
  });

  describe('when reading 8 hex digits', () => {
    it('reads either case', () => {
      expect(hexToUint32('9546a142', 'nonce')).toBe(0x9546a142);
      expect(hexToUint32('4DD7F5C7', 'ntime')).toBe(0x4dd7f5c7);
    });

    it('names the field and the rule when it is not 8 hex digits', () => {
      expect(() => hexToUint32('dd7f5c7', 'ntime')).toThrow("ntime 'dd7f5c7' is not 8 hex digits");
      expect(parseUint32Hex('0x1fffe0')).toBeUndefined();
      expect(parseUint32Hex(12345678)).toBeUndefined();
      expect(parseUint32Hex('1fffe000 ')).toBeUndefined();
    });
  });

  describe('when checking raw bytes as hex', () => {
    it('wants whole byte pairs', () => {
      expect(isHexBytes('')).toBe(true);
      expect(isHexBytes('00ff')).toBe(true);
      expect(isHexBytes('0ff')).toBe(false);
      expect(isHexBytes('zz')).toBe(false);
      expect(isHexBytes(null)).toBe(false);
    });
  });
});
