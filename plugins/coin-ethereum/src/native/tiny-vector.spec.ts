import { loadEthashNative, type Dataset, type EthashNative, type LightCache } from './index';

// facts/ethash.md §4.4: cache 1024 bytes, dataset 32768 bytes, epoch-0 seed
// (core-geth TestHashimoto, Besu hashimotoLightExample).
const CACHE_BYTES = 1024;
const DATASET_BYTES = 32768;
const HEADER = Buffer.from('c9149cc0386e689d789a1c2f3d5d169a61a6218ed30e74414dc736e442ef3d1f', 'hex');
const MIX = 'e4073cffaef931d37117cefd9afd27ea0f1cad6a981dd2605c4a1ac97c519800';
const FINAL = 'd3539235ee2e6f8db665c0a72169f55b7f6c605712330b778ec3944f0eb5a557';
// §4.4: "The 1024-byte cache for epoch 0 ... starts with"
const CACHE_START = '7ce2991c951f7bf4c4c1bb119887ee07871eb5339d7b97b8588e85c742de90e5';

const ZERO_SEED = Buffer.alloc(32);
const U64_END = 1n << 64n;

describe('ethash native addon', () => {
  let native: EthashNative;
  let cache: LightCache;
  let dataset: Dataset;
  // progress calls as seen at the moment each build's promise resolved
  let cacheProgress: number[] = [];
  let datasetProgress: number[] = [];

  beforeAll(async () => {
    native = loadEthashNative();
    const calls: number[] = [];
    cache = await native.buildLightCache(CACHE_BYTES, ZERO_SEED, (f) => calls.push(f));
    cacheProgress = [...calls];
    calls.length = 0;
    dataset = await native.buildDataset(cache, DATASET_BYTES, 2, (f) => calls.push(f));
    datasetProgress = [...calls];
  });

  describe('when built with the tiny sizes (facts §4.4)', () => {
    it('has the published first cache bytes', () => {
      expect(cache.bytes).toBe(CACHE_BYTES);
      expect(cache.cacheItem(0).subarray(0, 32).toString('hex')).toBe(CACHE_START);
    });

    it('gives the published mix and final for nonce 0', () => {
      const result = cache.hash(DATASET_BYTES, HEADER, 0n);
      expect(result.mix.toString('hex')).toBe(MIX);
      expect(result.final.toString('hex')).toBe(FINAL);
    });

    it('gives the same result off the event loop', async () => {
      const result = await cache.hashAsync(DATASET_BYTES, HEADER, 0n);
      expect(result.mix.toString('hex')).toBe(MIX);
      expect(result.final.toString('hex')).toBe(FINAL);
    });

    it('quickFinal of the true mix equals the final, and differs for another mix', () => {
      expect(native.quickFinal(HEADER, 0n, Buffer.from(MIX, 'hex')).toString('hex')).toBe(FINAL);
      expect(native.quickFinal(HEADER, 0n, Buffer.alloc(32)).toString('hex')).not.toBe(FINAL);
    });

    it('quickFinal equals the final of a light hash for other nonces too', () => {
      for (const nonce of [1n, 0x4242424242424242n, U64_END - 1n]) {
        const { mix, final } = cache.hash(DATASET_BYTES, HEADER, nonce);
        expect(native.quickFinal(HEADER, nonce, mix).equals(final)).toBe(true);
      }
    });
  });

  describe('when the dataset is built', () => {
    it('holds the items the cache computes', () => {
      expect(dataset.bytes).toBe(DATASET_BYTES);
      for (let i = 0; i < DATASET_BYTES / 64; i++) {
        expect(dataset.item(i).equals(cache.datasetItem(i))).toBe(true);
      }
    });

    it('hashes like the light cache (hashimoto_full == hashimoto_light)', () => {
      const result = dataset.hash(HEADER, 0n);
      expect(result.mix.toString('hex')).toBe(MIX);
      expect(result.final.toString('hex')).toBe(FINAL);
    });
  });

  describe('when a build reports progress', () => {
    it('reports increasing fractions ending with 1 before the promise resolves', () => {
      for (const calls of [cacheProgress, datasetProgress]) {
        expect(calls.length).toBeGreaterThan(1);
        expect(calls.length).toBeLessThanOrEqual(100);
        expect(calls[calls.length - 1]).toBe(1);
        for (let i = 1; i < calls.length; i++) expect(calls[i]).toBeGreaterThan(calls[i - 1]);
        expect(calls[0]).toBeGreaterThan(0);
      }
    });
  });

  describe('when scanning', () => {
    // a loose target: final <= 0x0fff...ff, about one nonce in 16
    const target = Buffer.alloc(32, 0xff);
    target[0] = 0x0f;
    const start = U64_END - 300n;

    function expectedHits(): { nonce: bigint; mix: string; final: string }[] {
      const hits = [];
      for (let nonce = start; nonce < U64_END; nonce++) {
        const { mix, final } = cache.hash(DATASET_BYTES, HEADER, nonce);
        if (Buffer.compare(final, target) <= 0) hits.push({ nonce, mix: mix.toString('hex'), final: final.toString('hex') });
      }
      return hits;
    }

    function printable(hits: { nonce: bigint; mix: Buffer; final: Buffer }[]) {
      return hits.map((h) => ({ nonce: h.nonce, mix: h.mix.toString('hex'), final: h.final.toString('hex') }));
    }

    it('scanLight finds exactly the nonces whose final is <= the target, up to 2^64 - 1', async () => {
      const expected = expectedHits();
      expect(expected.length).toBeGreaterThan(0);
      const result = await native.scanLight(cache, DATASET_BYTES, HEADER, start, 300, target, 2);
      expect(result.hashes).toBe(300);
      expect(result.dropped).toBe(0);
      expect(printable(result.hits)).toEqual(expected);
    });

    it('scanFull finds what scanLight finds', async () => {
      const light = await native.scanLight(cache, DATASET_BYTES, HEADER, 1000n, 500, target, 1);
      const full = await native.scanFull(dataset, HEADER, 1000n, 500, target, 3);
      expect(full.hashes).toBe(500);
      expect(printable(full.hits)).toEqual(printable(light.hits));
    });

    it('returns at most 4096 hits and counts the rest', async () => {
      const result = await native.scanFull(dataset, HEADER, 0n, 4100, Buffer.alloc(32, 0xff), 2);
      expect(result.hits).toHaveLength(4096);
      expect(result.dropped).toBe(4);
      expect(result.hits[4095].nonce).toBe(4095n);
    });

    it('refuses a range that runs past 2^64', () => {
      expect(() => native.scanLight(cache, DATASET_BYTES, HEADER, U64_END - 10n, 11, target, 1)).toThrow(
        /startNonce 18446744073709551606 \+ count 11 runs past the nonce space/,
      );
      expect(() => native.scanFull(dataset, HEADER, U64_END, 1, target, 1)).toThrow(/startNonce is 0x10000000000000000/);
    });
  });

  describe('when an argument is wrong', () => {
    it('throws naming the value', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => cache.hash(DATASET_BYTES, HEADER.subarray(1), 0n), /headerHash is 31 bytes, it must be 32/],
        [() => cache.hash(DATASET_BYTES + 64, HEADER, 0n), /datasetBytes is 32832, it must be a positive multiple of 128/],
        [() => cache.hash(DATASET_BYTES, HEADER, -1n), /nonce is -0x1, it must be in \[0, 2\^64\)/],
        [() => cache.hash(DATASET_BYTES, HEADER, U64_END), /nonce is 0x10000000000000000/],
        [() => cache.hashAsync(0, HEADER, 0n), /datasetBytes is 0/],
        [() => cache.datasetItem(2 ** 32), /index is 4294967296/],
        [() => cache.cacheItem(16), /index is 16, it must be an integer in \[0, 16\)/],
        [() => dataset.item(-1), /index is -1/],
        [() => native.buildLightCache(1000, ZERO_SEED), /cacheBytes is 1000, it must be a positive multiple of 64/],
        [() => native.buildLightCache(1024, Buffer.alloc(31)), /seed is 31 bytes, it must be 32/],
        [() => native.buildDataset(cache, 100, 1), /datasetBytes is 100/],
        [() => native.buildDataset(cache, DATASET_BYTES, 0), /threads is 0, it must be an integer in \[1, 256\]/],
        [() => native.quickFinal(HEADER, 0n, Buffer.alloc(33)), /mix is 33 bytes, it must be 32/],
        [() => native.scanLight(cache, DATASET_BYTES, HEADER, 0n, 1.5, target32(), 1), /count is 1.5/],
        [() => native.scanLight(cache, DATASET_BYTES, HEADER, 0n, 1, Buffer.alloc(31), 1), /target is 31 bytes, it must be 32/],
        [() => native.scanFull(dataset, HEADER, 0n, 1, target32(), 257), /threads is 257/],
        [() => native.cacheSize(32640), /epoch is 32640, it must be an integer in \[0, 32639\]/],
        [() => native.datasetSize(-1), /epoch is -1/],
        [() => native.seedHash(0.5), /seedEpoch is 0.5/],
      ];
      for (const [call, message] of cases) expect(call).toThrow(message);
    });
  });
});

function target32(): Buffer {
  return Buffer.alloc(32, 0xff);
}
