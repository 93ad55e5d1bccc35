import { LodeError, type CoinJob, type CoinTemplate, type PowClaim, type ShareSubmission } from '@lode/plugin-api';
import { EthashContexts } from '../epoch/ethash-contexts';
import { loadEthashNative, type EthashNative, type LightCache } from '../native';
import { CHFAST_BLOCK_0, CHFAST_BLOCK_2, EPOCH_SEEDS, TINY_VECTOR, type EthashVector } from '../testing/ethash-vectors.fixture';
import { ETH_COIN } from './ethereum-coin-profile';
import { EthereumCoinPlugin } from './ethereum-coin-plugin';

const CONFIG = { node: { url: 'http://127.0.0.1:8545' } };
/** jest's limit for a test that builds the real epoch-0 light cache (~1 s when the machine is idle) */
const BUILD_LIMIT_MS = 60_000;
const context = { jobId: 'j1', extranonce1Size: 2, extranonce2Size: 6 };
/** a typical share boundary: difficulty 2^32 (facts/ethash.md §1.1, 2^256 / diff) */
const SHARE_TARGET = 2n ** 224n;
const MAX_TARGET = 2n ** 256n - 1n;

/** A template as EthereumNode makes it (facts/ethash.md §1.1). */
function template(height: number, headerHash: string, seedHash: string, boundary = SHARE_TARGET): CoinTemplate {
  const raw = { headerHash, seedHash, boundary: boundary.toString(16).padStart(64, '0'), height };
  return { height, prevHash: (height - 1).toString(16).padStart(64, '0'), networkTarget: boundary, raw };
}

/** An epoch-0 ethash job built by hand (createJob would start warming the epoch's light cache). */
function epoch0Job(headerHash: string): CoinJob {
  return {
    id: 'j1',
    coin: 'eth',
    height: 2,
    prevHash: '01'.padStart(64, '0'),
    networkTarget: SHARE_TARGET,
    ntimeMin: 0,
    ntimeMax: 0,
    work: { dialect: 'ethstratum', headerHash, seedHash: EPOCH_SEEDS[0], epoch: 0, seedEpoch: 0, algo: 'ethash' },
    createdAt: 0,
  };
}

/** An EthProxy-style share: the 8-byte nonce (big-endian hex) split after 2 bytes, with the miner's mix digest. */
function share(nonceHex: string, mixHex?: string): ShareSubmission {
  const nonce = Buffer.from(nonceHex, 'hex');
  return {
    jobId: 'j1',
    extranonce1: nonce.subarray(0, 2),
    extranonce2: nonce.subarray(2),
    ntime: 0,
    nonce: 0,
    ...(mixHex === undefined ? {} : { seal: Buffer.from(mixHex, 'hex') }),
  };
}

/** The vector's mix digest with one bit flipped (the lowest bit of its last byte). */
function flipped(mixHex: string): Buffer {
  const mix = Buffer.from(mixHex, 'hex');
  mix[31] ^= 0x01;
  return mix;
}

const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
const value = (hex: string): bigint => BigInt(`0x${hex}`);

describe('EthereumCoinPlugin quick check of a claimed mix digest (EthProxy, facts/ethash.md §1.1, §2.7)', () => {
  const native = loadEthashNative();

  describe('when the claim is checked against the real epoch-0 light cache (chfast vectors, §4.1)', () => {
    const contexts = new EthashContexts({ warmNext: false });
    const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
    const hashSpy = jest.spyOn(contexts, 'hash');
    const lightSpy = jest.spyOn(contexts, 'light');
    afterEach(() => {
      hashSpy.mockClear();
      lightSpy.mockClear();
    });
    afterAll(() => contexts.settled(), BUILD_LIMIT_MS);

    const pow = async (vector: EthashVector, claim: PowClaim | undefined) => {
      const job = eth.createJob(template(vector.block, vector.header, EPOCH_SEEDS[0]), context, CONFIG);
      await contexts.settled();
      hashSpy.mockClear();
      lightSpy.mockClear();
      return eth.hashShare(job, eth.buildHeader(job, share(vector.nonce)), claim);
    };

    it.each([
      ['block 0', CHFAST_BLOCK_0],
      ['block 2', CHFAST_BLOCK_2],
    ])('%s: quickFinal of the published mix is the published final', (_name, vector) => {
      expect(native.quickFinal(bytes(vector.header), value(vector.nonce), bytes(vector.mix)).toString('hex')).toBe(vector.final);
      expect(contexts.quickFinal(bytes(vector.header), value(vector.nonce), bytes(vector.mix)).toString('hex')).toBe(vector.final);
    });

    it.each([
      ['block 0', CHFAST_BLOCK_0],
      ['block 2', CHFAST_BLOCK_2],
    ])(
      '%s: the true mix with target = final passes the quick check and gets the full light hash, its seal the published mix',
      async (_name, vector) => {
        const result = await pow(vector, { seal: bytes(vector.mix), target: value(vector.final) });
        expect(result.quick).toBeUndefined();
        expect(result.hash.toString('hex')).toBe(vector.final);
        expect(result.seal?.toString('hex')).toBe(vector.mix);
        expect(hashSpy).toHaveBeenCalledTimes(1);
      },
      BUILD_LIMIT_MS,
    );

    it('block 0: the true mix with target = final - 1 is refused by the quick check, its hash the published final, no light hash', async () => {
      const result = await pow(CHFAST_BLOCK_0, { seal: bytes(CHFAST_BLOCK_0.mix), target: value(CHFAST_BLOCK_0.final) - 1n });
      expect(result).toEqual({ hash: bytes(CHFAST_BLOCK_0.final), quick: true });
      expect(hashSpy).not.toHaveBeenCalled();
      expect(lightSpy).not.toHaveBeenCalled();
    }, BUILD_LIMIT_MS);

    it.each([
      ['block 0', CHFAST_BLOCK_0],
      ['block 2', CHFAST_BLOCK_2],
    ])(
      '%s: a mix with one bit flipped at share target 2^224 is refused on the addon quickFinal value, no light hash',
      async (_name, vector) => {
        const expected = native.quickFinal(bytes(vector.header), value(vector.nonce), flipped(vector.mix));
        expect(expected.toString('hex')).not.toBe(vector.final);
        expect(value(expected.toString('hex')) > SHARE_TARGET).toBe(true);
        const result = await pow(vector, { seal: flipped(vector.mix), target: SHARE_TARGET });
        expect(result).toEqual({ hash: expected, quick: true });
        expect(result.seal).toBeUndefined();
        expect(hashSpy).not.toHaveBeenCalled();
        expect(lightSpy).not.toHaveBeenCalled();
      },
      BUILD_LIMIT_MS,
    );

    it('block 2: a flipped mix that passes the quick check (target 2^256 - 1) gets the light hash, whose seal is the published mix, not the claim', async () => {
      const result = await pow(CHFAST_BLOCK_2, { seal: flipped(CHFAST_BLOCK_2.mix), target: MAX_TARGET });
      expect(result.quick).toBeUndefined();
      expect(result.hash.toString('hex')).toBe(CHFAST_BLOCK_2.final);
      expect(result.seal?.toString('hex')).toBe(CHFAST_BLOCK_2.mix);
      expect(result.seal?.equals(flipped(CHFAST_BLOCK_2.mix))).toBe(false);
      expect(hashSpy).toHaveBeenCalledTimes(1);
    }, BUILD_LIMIT_MS);
  });

  describe("when the epoch's light cache is not built yet", () => {
    /** the real addon, except that light cache builds wait until `release` (and are counted) */
    function heldAddon(): { addon: EthashNative; builds: () => number; release: () => void } {
      let count = 0;
      let fail: (error: Error) => void = () => undefined;
      const held = new Promise<LightCache>((_resolve, reject) => {
        fail = reject;
      });
      const addon: EthashNative = {
        ...native,
        buildLightCache: () => {
          count++;
          return held;
        },
      };
      return { addon, builds: () => count, release: () => fail(new Error('released by the test')) };
    }

    it('refuses a flipped mix at once without starting a build', async () => {
      const { addon, builds } = heldAddon();
      const contexts = new EthashContexts({ native: () => addon, warmNext: false });
      const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
      const job = epoch0Job(CHFAST_BLOCK_0.header);
      const result = await eth.hashShare(job, eth.buildHeader(job, share(CHFAST_BLOCK_0.nonce)), {
        seal: flipped(CHFAST_BLOCK_0.mix),
        target: SHARE_TARGET,
      });
      expect(result).toEqual({ hash: native.quickFinal(bytes(CHFAST_BLOCK_0.header), value(CHFAST_BLOCK_0.nonce), flipped(CHFAST_BLOCK_0.mix)), quick: true });
      expect(builds()).toBe(0);
      expect(contexts.held()).toEqual([]);
    });

    it('refuses a flipped mix at once while the build is under way (does not wait for it)', async () => {
      const { addon, builds, release } = heldAddon();
      const contexts = new EthashContexts({ native: () => addon, warmNext: false });
      const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
      contexts.warm('ethash', 0);
      expect(contexts.held()).toEqual([{ algo: 'ethash', epoch: 0, light: 'building', dataset: 'none' }]);
      const job = epoch0Job(CHFAST_BLOCK_2.header);
      const result = await eth.hashShare(job, eth.buildHeader(job, share(CHFAST_BLOCK_2.nonce)), {
        seal: flipped(CHFAST_BLOCK_2.mix),
        target: SHARE_TARGET,
      });
      expect(result.quick).toBe(true);
      expect(result.hash.equals(native.quickFinal(bytes(CHFAST_BLOCK_2.header), value(CHFAST_BLOCK_2.nonce), flipped(CHFAST_BLOCK_2.mix)))).toBe(true);
      expect(contexts.held()).toEqual([{ algo: 'ethash', epoch: 0, light: 'building', dataset: 'none' }]);
      expect(builds()).toBe(1);
      release();
      await contexts.settled();
    });
  });

  describe('when the tiny vector carries its mix (injected sizes, §4.4)', () => {
    const contexts = new EthashContexts({ sizes: { cacheSize: () => TINY_VECTOR.cacheBytes, datasetSize: () => TINY_VECTOR.datasetBytes }, warmNext: false });
    const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
    afterAll(() => contexts.settled());

    it('passes with target = final and returns the published mix and final', async () => {
      const job = eth.createJob(template(0, TINY_VECTOR.header, EPOCH_SEEDS[0]), context, CONFIG);
      const result = await eth.hashShare(job, eth.buildHeader(job, share('0000000000000000')), {
        seal: bytes(TINY_VECTOR.mix),
        target: value(TINY_VECTOR.final),
      });
      expect(result).toEqual({ hash: bytes(TINY_VECTOR.final), seal: bytes(TINY_VECTOR.mix) });
    });

    it('is refused with the published final as hash when target = final - 1', async () => {
      const job = eth.createJob(template(0, TINY_VECTOR.header, EPOCH_SEEDS[0]), context, CONFIG);
      const result = await eth.hashShare(job, eth.buildHeader(job, share('0000000000000000')), {
        seal: bytes(TINY_VECTOR.mix),
        target: value(TINY_VECTOR.final) - 1n,
      });
      expect(result).toEqual({ hash: bytes(TINY_VECTOR.final), quick: true });
    });
  });

  describe('when the claim is malformed (a dialect bug)', () => {
    const build = jest.fn(native.buildLightCache);
    const contexts = new EthashContexts({ native: () => ({ ...native, buildLightCache: build }), warmNext: false });
    const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
    const job = epoch0Job(CHFAST_BLOCK_0.header);
    const header = eth.buildHeader(job, share(CHFAST_BLOCK_0.nonce));

    it.each([31, 33, 0])('rejects a %i-byte seal with LodeError("plugin") and builds nothing', async (length) => {
      const error: unknown = await eth.hashShare(job, header, { seal: Buffer.alloc(length), target: SHARE_TARGET }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(LodeError.is(error, 'plugin')).toBe(true);
      expect((error as Error).message).toBe(
        `the claimed ethash seal (mix digest) of a share on job j1 is ${length} bytes, expected 32: the dialect must refuse a malformed mix digest before the share reaches the coin`,
      );
      expect(build).not.toHaveBeenCalled();
    });

    it('rejects a negative target', async () => {
      await expect(eth.hashShare(job, header, { seal: bytes(CHFAST_BLOCK_0.mix), target: -1n })).rejects.toThrow(
        "the claim's target must be a bigint >= 0 (a 256-bit boundary), got -1",
      );
      expect(build).not.toHaveBeenCalled();
    });
  });
});

describe('EthereumCoinPlugin.workKey', () => {
  const eth = new EthereumCoinPlugin(ETH_COIN, new EthashContexts({ native: () => loadEthashNative() }));

  it("is the job's header hash, so refreshed work at one height keys apart", () => {
    expect(eth.workKey(epoch0Job(CHFAST_BLOCK_0.header))).toBe('2a8de2adf89af77358250bf908bf04ba94a6e8c3ba87775564a41d269a05e4ce');
    expect(eth.workKey(epoch0Job(CHFAST_BLOCK_2.header))).toBe('100cbec5e5ef82991290d0d93d758f19082e71f234cf479192a8b94df6da6bfe');
  });

  it('throws LodeError("plugin") for a job without EthashWork', () => {
    const job = { ...epoch0Job(CHFAST_BLOCK_0.header), work: { dialect: 'bitcoin' } } as unknown as CoinJob;
    expect(() => eth.workKey(job)).toThrow(/carries bitcoin work, not EthashWork/);
  });
});
