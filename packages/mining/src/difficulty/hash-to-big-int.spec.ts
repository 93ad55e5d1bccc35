import { LodeError } from '@lode/stratum-core';
import { BITCOIN_DIFF1_TARGET } from './bitcoin-diff1-target';
import { hashToBigInt } from './hash-to-big-int';
import { shareDifficulty } from './share-difficulty';
import { targetFromCompact } from './target-from-compact';
import { targetToHex } from './target-to-hex';

// facts/bitcoin-stratum.md "Test vectors" (display order) and facts/bitcoin-blocks.md (block 100000)
const GENESIS_DISPLAY = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
const BLOCK_125552_DISPLAY = '00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d';
const BLOCK_100000_DISPLAY = '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506';

/** The hash bytes as SHA-256d outputs them: the display hex reversed. */
const hashOrder = (display: string): Buffer => Buffer.from(display, 'hex').reverse();

describe('hashToBigInt', () => {
  describe('when given a hash in hash order', () => {
    it('reads it little-endian, equal to the display hex read big-endian', () => {
      expect(hashToBigInt(hashOrder(GENESIS_DISPLAY))).toBe(BigInt('0x' + GENESIS_DISPLAY));
      expect(targetToHex(hashToBigInt(hashOrder(BLOCK_125552_DISPLAY)))).toBe(BLOCK_125552_DISPLAY);
    });

    it('accepts a plain Uint8Array', () => {
      const bytes = new Uint8Array(32);
      bytes[0] = 1;
      expect(hashToBigInt(bytes)).toBe(1n);
    });
  });

  describe('when the block hashes from facts are compared with their nbits targets', () => {
    it('finds the genesis hash below target(1d00ffff)', () => {
      expect(hashToBigInt(hashOrder(GENESIS_DISPLAY)) <= targetFromCompact(0x1d00ffff)).toBe(true);
    });

    it('finds block 125552 below target(1a44b9f2) and block 100000 below target(1b04864c)', () => {
      expect(hashToBigInt(hashOrder(BLOCK_125552_DISPLAY)) <= targetFromCompact(0x1a44b9f2)).toBe(true);
      expect(hashToBigInt(hashOrder(BLOCK_100000_DISPLAY)) <= targetFromCompact(0x1b04864c)).toBe(true);
    });

    it('finds the genesis hash above target(1a44b9f2), a harder target', () => {
      expect(hashToBigInt(hashOrder(GENESIS_DISPLAY)) > targetFromCompact(0x1a44b9f2)).toBe(true);
    });
  });

  describe('when the hash is not 32 bytes', () => {
    it('throws a protocol error naming the length', () => {
      expect(() => hashToBigInt(new Uint8Array(31))).toThrow('hash is 31 bytes, expected 32 bytes');
      expect(() => hashToBigInt(new Uint8Array(33))).toThrow(LodeError);
    });
  });
});

describe('shareDifficulty', () => {
  describe('when given a real block hash', () => {
    it('is at least the network difficulty of its nbits (block 125552: 0xffff * 2^24 / 0x44b9f2)', () => {
      const networkDifficulty = (0xffff * 2 ** 24) / 0x44b9f2;
      expect(shareDifficulty(hashOrder(BLOCK_125552_DISPLAY), BITCOIN_DIFF1_TARGET)).toBeGreaterThanOrEqual(
        networkDifficulty,
      );
    });

    it('equals diff1 / hash value (genesis)', () => {
      const expected = (0xffff * 2 ** 208) / Number(BigInt('0x' + GENESIS_DISPLAY));
      expect(Math.abs(shareDifficulty(hashOrder(GENESIS_DISPLAY), BITCOIN_DIFF1_TARGET) - expected) / expected).toBeLessThan(
        1e-15,
      );
    });
  });

  describe('when the hash is all zeros', () => {
    it('stays finite', () => {
      expect(shareDifficulty(new Uint8Array(32), BITCOIN_DIFF1_TARGET)).toBe(0xffff * 2 ** 208);
    });
  });
});
