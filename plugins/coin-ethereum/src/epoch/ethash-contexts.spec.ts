import { LodeError } from '@lode/plugin-api';
import { loadEthashNative, type EthashNative } from '../native';
import { EPOCH_SEEDS, ETCHASH_SEEDS, TINY_VECTOR } from '../testing/ethash-vectors.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { EthashContexts, type EthashContextsOptions } from './ethash-contexts';

// Every context here has the tiny sizes of facts/ethash.md §4.4 (1024-byte
// cache, 32 KiB dataset): builds take microseconds. The seeds are real.
const TINY = { cacheSize: () => TINY_VECTOR.cacheBytes, datasetSize: () => TINY_VECTOR.datasetBytes };
const HEADER = Buffer.from(TINY_VECTOR.header, 'hex');
const FINAL = BigInt(`0x${TINY_VECTOR.final}`);

/** The real addon, with buildLightCache counted (and optionally failing first). */
function countedNative(failFirst = false): { native: EthashNative; builds: () => number } {
  const real = loadEthashNative();
  let calls = 0;
  const native: EthashNative = {
    ...real,
    buildLightCache: (bytes, seed, onProgress) => {
      calls++;
      if (failFirst && calls === 1) return Promise.reject(new Error('out of memory'));
      return real.buildLightCache(bytes, seed, onProgress);
    },
  };
  return { native, builds: () => calls };
}

describe('EthashContexts', () => {
  const make = (options: EthashContextsOptions = {}): EthashContexts => new EthashContexts({ sizes: TINY, ...options });

  describe('when a share is hashed', () => {
    it('gives the tiny vector of facts/ethash.md §4.4 (zero seed, nonce 0)', async () => {
      const contexts = make();
      const { mix, final } = await contexts.hash('ethash', 0, HEADER, TINY_VECTOR.nonce);
      expect(mix.toString('hex')).toBe(TINY_VECTOR.mix);
      expect(final.toString('hex')).toBe(TINY_VECTOR.final);
    });
  });

  describe('when seed hashes are asked for', () => {
    it('iterates keccak256 epoch times for ethash and 2 * epoch times for ETChash (facts/ethash.md §4.6, §4.7)', () => {
      const contexts = make();
      expect(contexts.seedHash('ethash', 0).toString('hex')).toBe(EPOCH_SEEDS[0]);
      expect(contexts.seedHash('ethash', 1).toString('hex')).toBe(EPOCH_SEEDS[1]);
      expect(contexts.seedHash('ethash', 171).toString('hex')).toBe(EPOCH_SEEDS[171]);
      expect(contexts.seedHash('etchash', 195).toString('hex')).toBe(ETCHASH_SEEDS[195]);
      expect(contexts.seedHash('etchash', 196).toString('hex')).toBe(ETCHASH_SEEDS[196]);
    });
  });

  describe('when callers ask for the same light cache at once', () => {
    it('builds it once and gives every caller the same cache', async () => {
      const { native, builds } = countedNative();
      const contexts = make({ native: () => native });
      const [a, b, c] = await Promise.all([
        contexts.light('ethash', 0),
        contexts.light('ethash', 0),
        contexts.hash('ethash', 0, HEADER, 0n).then(() => contexts.light('ethash', 0)),
      ]);
      expect(a).toBe(b);
      expect(a).toBe(c);
      expect(builds()).toBe(1);
    });

    it('keys by algorithm: ETChash epoch 1 is another cache than ethash epoch 1', async () => {
      const { native, builds } = countedNative();
      const contexts = make({ native: () => native });
      const [ethash, etchash] = await Promise.all([contexts.light('ethash', 1), contexts.light('etchash', 1)]);
      expect(ethash).not.toBe(etchash);
      expect(builds()).toBe(2);
    });
  });

  describe('when a build fails', () => {
    it('rejects with LodeError("plugin") naming the cache, and the next call builds again', async () => {
      const { native, builds } = countedNative(true);
      const contexts = make({ native: () => native });
      const error = await contexts.light('ethash', 0).catch((e: unknown) => e);
      expect(LodeError.is(error, 'plugin')).toBe(true);
      expect((error as Error).message).toBe('the light cache for ethash epoch 0 (1024 bytes) could not be built: out of memory');
      expect(contexts.held()).toEqual([]);
      await expect(contexts.light('ethash', 0)).resolves.toBeDefined();
      expect(builds()).toBe(2);
    });

    it('logs a failed warm() at warn instead of throwing', async () => {
      const { native } = countedNative(true);
      const logger = memoryLogger();
      const contexts = make({ native: () => native, logger });
      contexts.warm('ethash', 0);
      await contexts.settled();
      expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
      expect(contexts.held()).toEqual([]);
    });
  });

  describe('when more than 3 light caches are built', () => {
    it('drops the least recently used one', async () => {
      const contexts = make();
      await contexts.light('ethash', 0);
      await contexts.light('ethash', 1);
      await contexts.light('ethash', 2);
      await contexts.light('ethash', 0); // epoch 1 is now the least recently used
      await contexts.light('ethash', 3);
      expect(contexts.held().map((h) => h.epoch)).toEqual([2, 0, 3]);
    });

    it('never drops one still building, and settles at the cap', async () => {
      const contexts = make();
      const builds = [0, 1, 2, 3].map((epoch) => contexts.light('ethash', epoch));
      expect(contexts.held().map((h) => h.light)).toEqual(['building', 'building', 'building', 'building']);
      await Promise.all(builds);
      await contexts.settled();
      expect(contexts.held()).toHaveLength(3);
    });
  });

  describe('when an epoch is warmed', () => {
    it('builds its cache and the next epoch’s, logging each build at info', async () => {
      const logger = memoryLogger();
      const contexts = make({ logger });
      contexts.warm('etchash', 195);
      await contexts.settled();
      expect(contexts.held()).toEqual([
        { algo: 'etchash', epoch: 195, light: 'ready', dataset: 'none' },
        { algo: 'etchash', epoch: 196, light: 'ready', dataset: 'none' },
      ]);
      const built = logger.lines.filter((l) => l.level === 'info' && /built in \d+ ms$/.test(l.msg ?? '')).map((l) => l.msg);
      expect(built).toEqual([expect.stringMatching(/^light cache for etchash epoch 195 built in/), expect.stringMatching(/^light cache for etchash epoch 196 built in/)]);
    });

    it('builds only the epoch itself with warmNext false', async () => {
      const contexts = make({ warmNext: false });
      contexts.warm('ethash', 7);
      await contexts.settled();
      expect(contexts.held().map((h) => h.epoch)).toEqual([7]);
    });
  });

  describe('when a miner scans', () => {
    const request = { algo: 'ethash' as const, epoch: 0, headerHash: HEADER, startNonce: 0n, count: 1, threads: 1 };

    it('finds nonce 0 at target = its final hash and nothing below it, with the light cache', async () => {
      const contexts = make();
      const hit = await contexts.scan({ ...request, target: FINAL });
      expect(hit.hashes).toBe(1);
      expect(hit.dropped).toBe(0);
      expect(hit.hits).toHaveLength(1);
      expect(hit.hits[0]?.nonce).toBe(0n);
      expect(hit.hits[0]?.mix.toString('hex')).toBe(TINY_VECTOR.mix);
      expect(hit.hits[0]?.final.toString('hex')).toBe(TINY_VECTOR.final);
      expect((await contexts.scan({ ...request, target: FINAL - 1n })).hits).toEqual([]);
    });

    it('finds the same with a prepared full dataset, and retain() frees it', async () => {
      const contexts = make();
      const progress: number[] = [];
      await contexts.prepare('ethash', 0, { full: true, threads: 2, onProgress: (f) => progress.push(f) });
      expect(progress[progress.length - 1]).toBe(1);
      expect(contexts.held()).toEqual([{ algo: 'ethash', epoch: 0, light: 'ready', dataset: 'ready' }]);
      const result = await contexts.scan({ ...request, target: 2n ** 256n });
      expect(result.hits.map((h) => h.final.toString('hex'))).toEqual([TINY_VECTOR.final]);
      expect((await contexts.hash('ethash', 0, HEADER, 0n)).mix.toString('hex')).toBe(TINY_VECTOR.mix);
      contexts.retain([{ algo: 'etchash', epoch: 0 }]);
      expect(contexts.held()).toEqual([]);
    });

    it('refuses bad requests with LodeError("plugin")', async () => {
      const contexts = make();
      await expect(contexts.scan({ ...request, threads: 0, target: FINAL })).rejects.toThrow('threads is 0, expected an integer in 1..256');
      await expect(contexts.scan({ ...request, headerHash: HEADER.subarray(1), target: FINAL })).rejects.toThrow(
        'the header hash is 31 bytes, expected 32 bytes',
      );
      await expect(contexts.scan({ ...request, startNonce: 2n ** 64n - 1n, count: 2, target: FINAL })).rejects.toThrow(LodeError);
      await expect(contexts.scan({ ...request, target: -1n })).rejects.toThrow(LodeError);
      await expect(contexts.light('sha3' as 'ethash', 0)).rejects.toThrow('algo is "sha3", expected "ethash" or "etchash"');
      await expect(contexts.light('ethash', 32640)).rejects.toThrow('epoch is 32640, expected an integer in 0..32639');
    });
  });

  describe('its implementation', () => {
    it("is the addon's", () => {
      expect(make().implementation).toBe(loadEthashNative().implementation());
    });
  });
});
