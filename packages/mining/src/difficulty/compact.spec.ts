import { LodeError } from '@lode/stratum-core';
import { BITCOIN_DIFF1_TARGET } from './bitcoin-diff1-target';
import { compactFromTarget } from './compact-from-target';
import { decodeCompact } from './decode-compact';
import { targetFromCompact } from './target-from-compact';
import { targetToHex } from './target-to-hex';

/**
 * Bitcoin Core src/test/arith_uint256_tests.cpp, BOOST_AUTO_TEST_CASE(bignum_SetCompact)
 * (bitcoin/bitcoin at 03b645bfdbae164bc1f9157b505255eb68af1c02):
 * [SetCompact input, GetHex(), GetCompact(negative), fNegative].
 */
const CORE_VECTORS: ReadonlyArray<readonly [number, string, number, boolean]> = [
  [0x00000000, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x00123456, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x01003456, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x02000056, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x03000000, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x04000000, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x00923456, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x01803456, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x02800056, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x03800000, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x04800000, '0000000000000000000000000000000000000000000000000000000000000000', 0x00000000, false],
  [0x01123456, '0000000000000000000000000000000000000000000000000000000000000012', 0x01120000, false],
  [0x01fedcba, '000000000000000000000000000000000000000000000000000000000000007e', 0x01fe0000, true],
  [0x02123456, '0000000000000000000000000000000000000000000000000000000000001234', 0x02123400, false],
  [0x03123456, '0000000000000000000000000000000000000000000000000000000000123456', 0x03123456, false],
  [0x04123456, '0000000000000000000000000000000000000000000000000000000012345600', 0x04123456, false],
  [0x04923456, '0000000000000000000000000000000000000000000000000000000012345600', 0x04923456, true],
  [0x05009234, '0000000000000000000000000000000000000000000000000000000092340000', 0x05009234, false],
  [0x20123456, '1234560000000000000000000000000000000000000000000000000000000000', 0x20123456, false],
];

describe('decodeCompact', () => {
  describe("when given Bitcoin Core's SetCompact test vectors", () => {
    it.each(CORE_VECTORS)('decodes %p', (nbits, hex, _compact, negative) => {
      const decoded = decodeCompact(nbits);
      expect(targetToHex(decoded.target)).toBe(hex);
      expect(decoded.negative).toBe(negative);
      expect(decoded.overflow).toBe(false);
    });

    it('flags 0xff123456 as overflow, not negative', () => {
      expect(decodeCompact(0xff123456)).toMatchObject({ negative: false, overflow: true });
    });
  });

  describe('when nbits is not a uint32', () => {
    it.each([[-1], [2 ** 32], [1.5], [Number.NaN]])('throws a protocol error for %p', (nbits) => {
      expect(() => decodeCompact(nbits)).toThrow(LodeError);
    });
  });
});

describe('compactFromTarget', () => {
  describe("when given Bitcoin Core's GetCompact test vectors", () => {
    it.each(CORE_VECTORS)('encodes the value of %p', (_nbits, hex, compact, negative) => {
      expect(compactFromTarget(BigInt('0x' + hex), negative)).toBe(compact);
    });

    it('never sets the sign bit for a positive value (0x80 -> 0x02008000)', () => {
      expect(compactFromTarget(0x80n)).toBe(0x02008000);
    });
  });

  describe('when given the difficulty-1 target', () => {
    it('returns 0x1d00ffff', () => {
      expect(compactFromTarget(BITCOIN_DIFF1_TARGET)).toBe(0x1d00ffff);
    });
  });

  describe('when given real block nbits targets', () => {
    it.each([[0x1d00ffff], [0x1a44b9f2], [0x1b04864c]])('round-trips %p', (nbits) => {
      expect(compactFromTarget(targetFromCompact(nbits))).toBe(nbits);
    });
  });

  describe('when the target has more than three significant bytes', () => {
    it('drops the lower bytes (rounds down)', () => {
      expect(compactFromTarget(0x12345678n)).toBe(0x04123456);
    });
  });

  describe('when the target is out of range', () => {
    it('throws a protocol error', () => {
      expect(() => compactFromTarget(-1n)).toThrow(LodeError);
      expect(() => compactFromTarget(2n ** 256n)).toThrow(LodeError);
    });
  });

  describe('when the target is 2^256 - 1', () => {
    it('moves the mantissa one byte right to keep the sign bit clear (0x2100ffff)', () => {
      expect(compactFromTarget(2n ** 256n - 1n)).toBe(0x2100ffff);
    });
  });
});

describe('targetFromCompact', () => {
  describe('when given the nbits of real blocks', () => {
    it('maps 1d00ffff to the difficulty-1 target (facts/bitcoin-stratum.md)', () => {
      expect(targetToHex(targetFromCompact(0x1d00ffff))).toBe(
        '00000000ffff0000000000000000000000000000000000000000000000000000',
      );
      expect(targetFromCompact(0x1d00ffff)).toBe(BITCOIN_DIFF1_TARGET);
    });

    it('maps 1a44b9f2 (block 125552) to 0x44b9f2 * 256^(0x1a - 3)', () => {
      expect(targetToHex(targetFromCompact(0x1a44b9f2))).toBe(
        '00000000000044b9f20000000000000000000000000000000000000000000000',
      );
    });

    it('maps 1b04864c (block 100000) to 0x04864c * 256^(0x1b - 3)', () => {
      expect(targetToHex(targetFromCompact(0x1b04864c))).toBe(
        '000000000004864c000000000000000000000000000000000000000000000000',
      );
    });
  });

  describe('when the sign bit is set on a non-zero mantissa', () => {
    it('throws a protocol error naming the nbits', () => {
      expect(() => targetFromCompact(0x04923456)).toThrow('nbits 04923456 has the sign bit 0x00800000 set');
    });

    it('accepts a sign bit on a zero mantissa, as Core does (0x04800000 -> 0)', () => {
      expect(targetFromCompact(0x04800000)).toBe(0n);
    });
  });

  describe('when the value overflows 256 bits', () => {
    it('throws a protocol error', () => {
      expect(() => targetFromCompact(0xff123456)).toThrow('nbits ff123456 encodes a value above 2^256 - 1');
      expect(() => targetFromCompact(0x22000100)).toThrow(LodeError);
    });
  });
});
