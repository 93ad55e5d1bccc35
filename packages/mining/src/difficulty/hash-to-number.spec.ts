import { LodeError } from '@lode/stratum-core';
import { BITCOIN_DIFF1_TARGET } from './bitcoin-diff1-target';
import { difficultyFromTarget } from './difficulty-from-target';
import { hashAtMostTarget } from './hash-at-most-target';
import { hashToBigInt } from './hash-to-big-int';
import { hashToNumber } from './hash-to-number';
import { MAX_TARGET } from './max-target';
import { shareDifficulty } from './share-difficulty';
import { targetFromCompact } from './target-from-compact';

// facts/bitcoin-stratum.md "Test vectors" and "Targets" (display order), facts/bitcoin-blocks.md (block 100000)
const GENESIS_DISPLAY = '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f';
const BLOCK_125552_DISPLAY = '00000000000000001e8d6829a8a21adc5d38d0a473b144b6765798e61f98bd1d';
const BLOCK_100000_DISPLAY = '000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506';
const DIFF1_DISPLAY = '00000000ffff0000000000000000000000000000000000000000000000000000';

/** The hash bytes as SHA-256d outputs them: the display hex reversed. */
const hashOrder = (display: string): Buffer => Buffer.from(display, 'hex').reverse();
/** A 256-bit number as 32 bytes in hash order (little-endian), written out here, not by the code under test. */
const bytesOf = (value: bigint): Buffer => hashOrder(value.toString(16).padStart(64, '0'));
const relativeError = (actual: number, expected: number): number => Math.abs(actual - expected) / expected;
/** value as a double, rounded once to nearest (Number of a bigint; independent of hashToNumber). */
const exactNumber = (value: bigint): number => Number(value);

/** xorshift32: deterministic "random" hashes. */
function randomHashes(count: number, seed: number): Buffer[] {
  let x = seed;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const hashes: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const hash = Buffer.alloc(32);
    for (let j = 0; j < 32; j++) hash[j] = next() & 0xff;
    // shares: 0 to 31 leading zero bytes (display order), so every scale is covered
    hash.fill(0, 32 - (i % 32));
    hashes.push(hash);
  }
  return hashes;
}

describe('hashToNumber', () => {
  describe('when given hashes from facts', () => {
    it('reads the diff1 target bytes as 0xffff * 2^208 exactly', () => {
      expect(hashToNumber(hashOrder(DIFF1_DISPLAY))).toBe(0xffff * 2 ** 208);
    });

    it('reads real block hashes to within one unit in the last place (2^-52)', () => {
      for (const display of [GENESIS_DISPLAY, BLOCK_125552_DISPLAY, BLOCK_100000_DISPLAY]) {
        const expected = exactNumber(BigInt('0x' + display));
        expect(relativeError(hashToNumber(hashOrder(display)), expected)).toBeLessThanOrEqual(2 ** -52);
      }
    });
  });

  describe('when the hash is small or zero', () => {
    it('is exact below 2^53 and 0 only for the all-zero hash', () => {
      expect(hashToNumber(bytesOf(1n))).toBe(1);
      expect(hashToNumber(bytesOf(0x1234567890abcn))).toBe(0x1234567890abc);
      expect(hashToNumber(new Uint8Array(32))).toBe(0);
    });

    it('reads 2^256 - 1 as 2^256', () => {
      expect(hashToNumber(bytesOf(MAX_TARGET))).toBe(2 ** 256);
    });
  });

  describe('when given many random hashes', () => {
    it('stays within one unit in the last place (2^-52) of the bigint value', () => {
      for (const hash of randomHashes(2000, 0x9e3779b9)) {
        const value = BigInt('0x' + Buffer.from(hash).reverse().toString('hex'));
        if (value === 0n) continue;
        expect(relativeError(hashToNumber(hash), exactNumber(value))).toBeLessThanOrEqual(2 ** -52);
      }
    });
  });

  describe('when the hash is not 32 bytes', () => {
    it('throws a protocol error naming the length', () => {
      expect(() => hashToNumber(new Uint8Array(31))).toThrow('hash is 31 bytes, expected 32 bytes');
      expect(() => hashToNumber(new Uint8Array(33))).toThrow(LodeError);
    });
  });
});

describe('shareDifficulty (doubles, no bigint)', () => {
  it('is exactly 1 for a hash equal to the diff1 target', () => {
    expect(shareDifficulty(hashOrder(DIFF1_DISPLAY), BITCOIN_DIFF1_TARGET)).toBe(1);
  });

  it('gives the real blocks at least the difficulty of their nbits (facts: 1d00ffff, 1a44b9f2, 1b04864c)', () => {
    expect(shareDifficulty(hashOrder(GENESIS_DISPLAY), BITCOIN_DIFF1_TARGET)).toBeGreaterThanOrEqual(1);
    expect(shareDifficulty(hashOrder(BLOCK_125552_DISPLAY), BITCOIN_DIFF1_TARGET)).toBeGreaterThanOrEqual(
      (0xffff * 2 ** 24) / 0x44b9f2,
    );
    expect(shareDifficulty(hashOrder(BLOCK_100000_DISPLAY), BITCOIN_DIFF1_TARGET)).toBeGreaterThanOrEqual(
      (0xffff * 2 ** 16) / 0x04864c,
    );
  });

  it('matches the bigint quotient (difficultyFromTarget) to 1e-12 for many random hashes', () => {
    let worst = 0;
    for (const hash of randomHashes(5000, 12345)) {
      const value = hashToBigInt(hash);
      const exact = difficultyFromTarget(value === 0n ? 1n : value, BITCOIN_DIFF1_TARGET);
      worst = Math.max(worst, relativeError(shareDifficulty(hash, BITCOIN_DIFF1_TARGET), exact));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('works for another diff1 (ethash: 2^256) after Bitcoin, and refuses a diff1 <= 0', () => {
    const hash = hashOrder(GENESIS_DISPLAY);
    const expected = difficultyFromTarget(BigInt('0x' + GENESIS_DISPLAY), 2n ** 256n);
    expect(relativeError(shareDifficulty(hash, 2n ** 256n), expected)).toBeLessThan(1e-12);
    expect(() => shareDifficulty(hash, 0n)).toThrow(LodeError);
  });
});

describe('hashAtMostTarget', () => {
  describe('when the block hashes from facts are compared with their nbits targets', () => {
    it('finds each below its own target and the genesis hash above the harder 1a44b9f2', () => {
      expect(hashAtMostTarget(hashOrder(GENESIS_DISPLAY), targetFromCompact(0x1d00ffff))).toBe(true);
      expect(hashAtMostTarget(hashOrder(BLOCK_125552_DISPLAY), targetFromCompact(0x1a44b9f2))).toBe(true);
      expect(hashAtMostTarget(hashOrder(BLOCK_100000_DISPLAY), targetFromCompact(0x1b04864c))).toBe(true);
      expect(hashAtMostTarget(hashOrder(GENESIS_DISPLAY), targetFromCompact(0x1a44b9f2))).toBe(false);
    });
  });

  describe('when the target is the hash value or one away from it', () => {
    it('decides exactly: equal is at most, one below is not', () => {
      for (const display of [GENESIS_DISPLAY, BLOCK_125552_DISPLAY, DIFF1_DISPLAY]) {
        const value = BigInt('0x' + display);
        const hash = hashOrder(display);
        expect(hashAtMostTarget(hash, value)).toBe(true);
        expect(hashAtMostTarget(hash, value + 1n)).toBe(true);
        expect(hashAtMostTarget(hash, value - 1n)).toBe(false);
      }
    });
  });

  describe('when the target is out of the 256-bit range or zero', () => {
    it('meets every hash for 2^256 and MAX_TARGET, none for a negative target, only the zero hash for 0', () => {
      const hash = hashOrder(GENESIS_DISPLAY);
      expect(hashAtMostTarget(hash, 2n ** 256n)).toBe(true);
      expect(hashAtMostTarget(bytesOf(MAX_TARGET), MAX_TARGET)).toBe(true);
      expect(hashAtMostTarget(new Uint8Array(32), -1n)).toBe(false);
      expect(hashAtMostTarget(hash, 0n)).toBe(false);
      expect(hashAtMostTarget(new Uint8Array(32), 0n)).toBe(true);
      expect(hashAtMostTarget(hash, 2n ** 2000n)).toBe(true);
      expect(hashAtMostTarget(hash, -(2n ** 2000n))).toBe(false);
    });
  });

  describe('when given many random hashes and targets', () => {
    it('agrees with the bigint comparison every time', () => {
      const hashes = randomHashes(3000, 777);
      for (let i = 0; i < hashes.length; i++) {
        const hash = hashes[i] as Buffer;
        const value = hashToBigInt(hash);
        // targets near the value (both sides) and far from it
        const target = i % 3 === 0 ? value + BigInt(i % 7) - 3n : hashToBigInt(hashes[(i * 7) % hashes.length] as Buffer);
        expect(hashAtMostTarget(hash, target)).toBe(value <= target);
      }
    });
  });

  describe('when the hash is not 32 bytes', () => {
    it('throws a protocol error', () => {
      expect(() => hashAtMostTarget(new Uint8Array(31), 1n)).toThrow('hash is 31 bytes, expected 32 bytes');
    });
  });
});
