import { bitCount, effectiveVersionMask, parseMinBitCount } from './version-rolling';

describe('version rolling helpers', () => {
  describe('when a job version sets bits inside the negotiated mask', () => {
    it('removes them (field-notes.md §3(b): DigiByte signals on bit 23, inside 1fffe000)', () => {
      // 1fffe000 without bit 23 (00800000) = 1f7fe000
      expect(effectiveVersionMask(0x1fffe000, 0x20800000)).toBe(0x1f7fe000);
      // 20000000 (BIP 9 top bits) lies outside the mask: nothing removed
      expect(effectiveVersionMask(0x1fffe000, 0x20000000)).toBe(0x1fffe000);
      expect(effectiveVersionMask(0x1fffe000, undefined)).toBe(0x1fffe000);
      expect(effectiveVersionMask(0xffffffff, 0)).toBe(0xffffffff);
    });
  });

  describe('when bits are counted', () => {
    it('finds the sixteen bits of BIP 320 and the 24 of BIP 323', () => {
      expect(bitCount(0x1fffe000)).toBe(16);
      expect(bitCount(0x1fffffe0)).toBe(24);
      expect(bitCount(0xffffffff)).toBe(32);
      expect(bitCount(0)).toBe(0);
    });
  });

  describe('when min-bit-count is read', () => {
    it.each([
      [2, 2],
      ['00000002', 2],
      ['0x10', 16],
      ['10', 16],
      [0, 0],
      [32, 32],
      [33, undefined],
      [-1, undefined],
      [2.5, undefined],
      ['zz', undefined],
      [{ bits: 2 }, undefined],
      [null, undefined],
    ])('reads %j as %s', (value, expected) => {
      expect(parseMinBitCount(value)).toBe(expected);
    });
  });
});
