import { chunkSize, expectedHashesPerHit, FIRST_CHUNK_NONCES, MIN_CHUNK_NONCES } from './chunk-size';

// Stratum difficulty 1 = 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets").
const DIFF1 = 0xffffn << 208n;
const HARD = expectedHashesPerHit(DIFF1); // about 2^32 hashes per hit
const RANGE = 2 ** 32;

describe('chunkSize', () => {
  describe('when the rate is not measured yet', () => {
    it('starts with the first-chunk size', () => {
      expect(chunkSize({ hashesPerSecond: undefined, hashesPerHit: HARD, remaining: RANGE })).toBe(FIRST_CHUNK_NONCES);
    });
  });

  describe('when the rate is known', () => {
    it('covers chunkSeconds of work at that rate', () => {
      expect(chunkSize({ hashesPerSecond: 20e6, chunkSeconds: 0.375, hashesPerHit: HARD, remaining: RANGE })).toBe(7_500_000);
      expect(chunkSize({ hashesPerSecond: 1e6, chunkSeconds: 0.25, hashesPerHit: HARD, remaining: RANGE })).toBe(250_000);
    });

    it('never goes past the end of the nonce range', () => {
      expect(chunkSize({ hashesPerSecond: 20e6, hashesPerHit: HARD, remaining: 1000 })).toBe(1000);
      expect(chunkSize({ hashesPerSecond: 20e6, hashesPerHit: HARD, remaining: 1 })).toBe(1);
    });

    it('is at least the minimum for a very slow rate', () => {
      expect(chunkSize({ hashesPerSecond: 10, hashesPerHit: HARD, remaining: RANGE })).toBe(MIN_CHUNK_NONCES);
    });
  });

  describe('when the share target is easy', () => {
    it('caps the chunk at maxHitsPerChunk expected hits', () => {
      // difficulty 2^-20: about 4096 hashes per hit
      const perHit = expectedHashesPerHit(DIFF1 << 20n);
      expect(Math.round(perHit)).toBe(4096);
      expect(chunkSize({ hashesPerSecond: 20e6, hashesPerHit: perHit, maxHitsPerChunk: 32, remaining: RANGE })).toBe(131_074);
    });

    it('still scans the minimum when every hash is a hit', () => {
      expect(chunkSize({ hashesPerSecond: 20e6, hashesPerHit: 1, remaining: RANGE })).toBe(MIN_CHUNK_NONCES);
    });
  });
});

describe('expectedHashesPerHit', () => {
  describe('when the target is difficulty 1', () => {
    it('is 2^256 / (0xffff * 2^208 + 1), about 2^32', () => {
      expect(HARD / 2 ** 32).toBeCloseTo(65536 / 65535, 9);
    });
  });
});
