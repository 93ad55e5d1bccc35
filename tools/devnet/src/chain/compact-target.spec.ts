import { MAINNET_100000 } from '../testing/real-blocks';
import { compactFromTarget, decodeCompact, difficultyFromCompact, targetFromCompact, workFromTarget } from './compact-target';

describe('compact targets', () => {
  describe('when decoding nBits', () => {
    it('reads 1d00ffff as the difficulty-1 target 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets")', () => {
      expect(targetFromCompact(0x1d00ffff)).toBe(0xffffn << 208n);
      expect(difficultyFromCompact(0x1d00ffff)).toBe(1);
    });

    it('puts the hash of mainnet block 100000 below the target of its nBits 1b04864c', () => {
      const target = targetFromCompact(MAINNET_100000.bits);
      expect(target).toBe(0x04864cn << BigInt(8 * (0x1b - 3)));
      expect(BigInt(`0x${MAINNET_100000.hash}`) <= target).toBe(true);
    });

    it('flags a set sign bit and an overflow like bitcoind (arith_uint256 tests: 04923456, ff123456)', () => {
      expect(decodeCompact(0x04923456).negative).toBe(true);
      expect(decodeCompact(0xff123456).overflow).toBe(true);
      expect(() => targetFromCompact(0x04923456)).toThrow(/not a positive 256-bit target/);
      expect(() => targetFromCompact(0x00000000)).toThrow(/not a positive/);
    });
  });

  describe('when encoding a target', () => {
    it('gives back the canonical nBits', () => {
      expect(compactFromTarget(0xffffn << 208n)).toBe(0x1d00ffff);
      expect(compactFromTarget(1n << 229n)).toBe(0x1d200000);
      expect(compactFromTarget(0x7fffffn << 232n)).toBe(0x207fffff);
      // a mantissa with its top bit set moves up one byte: 0x80 -> 02008000
      expect(compactFromTarget(0x80n)).toBe(0x02008000);
    });
  });

  describe('when measuring work', () => {
    it('counts 2 expected hashes for nBits 207fffff (regtest genesis chainwork 0x02)', () => {
      expect(workFromTarget(targetFromCompact(0x207fffff))).toBe(2n);
    });

    it('counts about 2^27 expected hashes for the devnet default 1d200000', () => {
      expect(workFromTarget(targetFromCompact(0x1d200000))).toBe((1n << 27n) - 1n);
    });
  });
});
