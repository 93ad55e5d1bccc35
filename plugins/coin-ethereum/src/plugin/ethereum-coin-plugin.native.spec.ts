import { LodeError, type CoinJob, type CoinTemplate, type EthashWork, type ShareSubmission } from '@lode/plugin-api';
import { EthashContexts } from '../epoch/ethash-contexts';
import {
  CHFAST_BLOCK_0,
  CHFAST_BLOCK_2,
  CHFAST_VERIFY_BOUNDARY,
  EPOCH_SEEDS,
  ETCHASH_SEEDS,
  ETHEREUM_TESTS_FIRST,
  NICEHASH_SHARE,
  TINY_VECTOR,
  type EthashVector,
} from '../testing/ethash-vectors.fixture';
import { memoryLogger } from '../testing/memory-logger.fixture';
import { ETC_COIN, ETH_COIN } from './ethereum-coin-profile';
import { EthereumCoinPlugin } from './ethereum-coin-plugin';

const CONFIG = { node: { url: 'http://127.0.0.1:8545' } };
/** jest's limit for a test that builds a real light cache (1-4 s each when the machine is idle) */
const BUILD_LIMIT_MS = 60_000;
const context = { jobId: 'j1', extranonce1Size: 2, extranonce2Size: 6 };

/** A template as EthereumNode makes it (facts/ethash.md §1.1): boundary 2^256 / 2^32 unless given. */
function template(height: number, headerHash: string, seedHash: string, boundary = 2n ** 224n): CoinTemplate {
  const raw = { headerHash, seedHash, boundary: boundary.toString(16).padStart(64, '0'), height };
  return { height, prevHash: (height - 1).toString(16).padStart(64, '0'), networkTarget: boundary, raw };
}

/** A share whose 8-byte nonce (big-endian hex) is split after `split` bytes. */
function share(nonceHex: string, split: number): ShareSubmission {
  const nonce = Buffer.from(nonceHex, 'hex');
  return { jobId: 'j1', extranonce1: nonce.subarray(0, split), extranonce2: nonce.subarray(split), ntime: 0, nonce: 0 };
}

describe('EthereumCoinPlugin with the native addon', () => {
  describe('when a job is created (seed check, facts/ethash.md §4.6, §4.7)', () => {
    // tiny sizes: the background warm-up of each job's epoch costs microseconds
    const contexts = new EthashContexts({ sizes: { cacheSize: () => 1024, datasetSize: () => 32768 }, warmNext: false });
    const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
    const etc = new EthereumCoinPlugin(ETC_COIN, contexts);
    afterAll(() => contexts.settled());

    it('gives EthashWork for ethash epoch 1 with its real seed', () => {
      const job = eth.createJob(template(30_000, CHFAST_BLOCK_2.header, EPOCH_SEEDS[1]), context, CONFIG);
      expect(job).toMatchObject({ id: 'j1', coin: 'eth', height: 30_000, prevHash: (29_999).toString(16).padStart(64, '0') });
      expect(job.networkTarget).toBe(2n ** 224n);
      expect([job.ntimeMin, job.ntimeMax]).toEqual([0, 0]);
      expect(job.work).toEqual<EthashWork>({
        dialect: 'ethstratum',
        headerHash: CHFAST_BLOCK_2.header,
        seedHash: EPOCH_SEEDS[1],
        epoch: 1,
        seedEpoch: 1,
        algo: 'ethash',
      });
    });

    it('gives ETChash epoch 195 with seed epoch 390 at ETC block 11,700,000', () => {
      const job = etc.createJob(template(11_700_000, CHFAST_BLOCK_0.header, ETCHASH_SEEDS[195]), context, CONFIG);
      expect(job.work).toMatchObject({ epoch: 195, seedEpoch: 390, algo: 'etchash', seedHash: ETCHASH_SEEDS[195] });
    });

    it('follows ecip1099Block: plain ethash before the fork, ETChash from it', () => {
      const before = etc.createJob(template(30_000, CHFAST_BLOCK_0.header, EPOCH_SEEDS[1]), context, { ...CONFIG, ecip1099Block: 60_000 });
      expect(before.work).toMatchObject({ algo: 'ethash', epoch: 1, seedEpoch: 1 });
      const after = etc.createJob(template(30_000, CHFAST_BLOCK_0.header, EPOCH_SEEDS[0]), context, { ...CONFIG, ecip1099Block: 0 });
      expect(after.work).toMatchObject({ algo: 'etchash', epoch: 0, seedEpoch: 0 });
    });

    it('refuses an ETC node on the "eth" coin: at block 11,730,000 ethash wants epoch 391, the node sends seed epoch 390', () => {
      const error = (() => {
        try {
          eth.createJob(template(11_730_000, CHFAST_BLOCK_0.header, ETCHASH_SEEDS[195]), context, CONFIG);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(LodeError.is(error, 'node')).toBe(true);
      expect((error as Error).message).toMatch(
        new RegExp(`^the node's seed hash ${ETCHASH_SEEDS[195]} for block 11730000 is not Ethereum \\(ethash\\)'s: block 11730000 is ethash epoch 391 with seed keccak256\\^391\\(0\\)`),
      );
      expect((error as Error).message).toContain('another chain or algorithm than coin "eth"');
    });

    it('points an "etc" mismatch at ecip1099Block', () => {
      expect(() => etc.createJob(template(11_760_000, CHFAST_BLOCK_0.header, EPOCH_SEEDS[1]), context, CONFIG)).toThrow(
        /etchash epoch 196 with seed keccak256\^392\(0\) = 1ba62b29.*check the node URL, the coin and etc.ecip1099Block/,
      );
    });

    it('refuses a malformed template', () => {
      const bad = { ...template(1, CHFAST_BLOCK_0.header, EPOCH_SEEDS[0]), raw: { headerHash: '0xabc' } };
      expect(() => eth.createJob(bad, context, CONFIG)).toThrow(LodeError);
    });
  });

  describe('when the tiny vector goes through a job (facts/ethash.md §4.4)', () => {
    it('hashes to its mix and final', async () => {
      const contexts = new EthashContexts({ sizes: { cacheSize: () => 1024, datasetSize: () => 32768 }, warmNext: false });
      const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
      const job = eth.createJob(template(0, TINY_VECTOR.header, EPOCH_SEEDS[0]), context, CONFIG);
      const pow = await eth.hashShare(job, eth.buildHeader(job, share('0000000000000000', 2)));
      expect(pow.hash.toString('hex')).toBe(TINY_VECTOR.final);
      expect(pow.seal?.toString('hex')).toBe(TINY_VECTOR.mix);
    });
  });

  describe('when real shares are hashed (real epoch sizes)', () => {
    const logger = memoryLogger();
    const contexts = new EthashContexts({ warmNext: false, logger });
    const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
    const etc = new EthereumCoinPlugin(ETC_COIN, contexts);
    afterAll(() => contexts.settled(), BUILD_LIMIT_MS);

    const hashVector = async (plugin: EthereumCoinPlugin, vector: EthashVector, seed: string, height: number, split: number) => {
      const job = plugin.createJob(template(height, vector.header, seed), context, CONFIG);
      const s = share(vector.nonce, split);
      expect(plugin.checkShare(job, s)).toBeUndefined();
      const header = plugin.buildHeader(job, s);
      const pow = await plugin.hashShare(job, header);
      return { job, share: s, header, pow };
    };

    it.each([
      ['chfast block 0 (§4.1), nonce split 2 + 6', CHFAST_BLOCK_0, 2],
      ['chfast block 2 (§4.1), nonce split 3 + 5', CHFAST_BLOCK_2, 3],
      ['ethereum/tests "first" (§4.2), nonce split 6 + 2', ETHEREUM_TESTS_FIRST, 6],
    ])('gives the mix and final of %s', async (_name, vector, split) => {
      const { pow } = await hashVector(eth, vector, EPOCH_SEEDS[0], vector.block, split);
      expect(pow.seal?.toString('hex')).toBe(vector.mix);
      expect(pow.hash.toString('hex')).toBe(vector.final);
      expect(eth.displayHash(pow.hash)).toBe(vector.final);
    }, BUILD_LIMIT_MS);

    it('logs the epoch-0 build: progress at info and its time', () => {
      const messages = logger.lines.filter((l) => l.level === 'info').map((l) => l.msg);
      expect(messages).toContain('light cache for ethash epoch 0: 50%');
      expect(messages).toContainEqual(expect.stringMatching(/^light cache for ethash epoch 0 built in \d+ ms$/));
    });

    it('makes a block exactly when final <= boundary (chfast verify_boundary, nonce 6666, §4.1)', async () => {
      const final = BigInt(`0x${CHFAST_VERIFY_BOUNDARY.final}`);
      const nonce = CHFAST_VERIFY_BOUNDARY.nonce.toString(16).padStart(16, '0');
      for (const [boundary, block] of [
        [final, true],
        [final + 1n, true],
        [final - 1n, false],
      ] as const) {
        const job = eth.createJob(template(5, CHFAST_VERIFY_BOUNDARY.header, EPOCH_SEEDS[0], boundary), context, CONFIG);
        const pow = await eth.hashShare(job, eth.buildHeader(job, share(nonce, 2)));
        expect(pow.hash.toString('hex')).toBe(CHFAST_VERIFY_BOUNDARY.final);
        expect(eth.hashValue(pow.hash) <= job.networkTarget).toBe(block);
      }
    });

    it('builds the eth_submitWork parameters of a block from the seal', async () => {
      const { job, share: s, header, pow } = await hashVector(eth, CHFAST_BLOCK_2, EPOCH_SEEDS[0], 2, 2);
      expect(JSON.parse(eth.buildBlock(job, s, header, pow.seal))).toEqual([
        `0x${CHFAST_BLOCK_2.nonce}`,
        `0x${CHFAST_BLOCK_2.header}`,
        `0x${CHFAST_BLOCK_2.mix}`,
      ]);
    });

    it('hashes the NiceHash share a2eea0 ‖ cfae7df760 at epoch 50 to difficulty 1.863 x 2^32 (§4.5)', async () => {
      const job = eth.createJob(template(50 * 30_000, NICEHASH_SHARE.header, NICEHASH_SHARE.seed), context, CONFIG);
      const s: ShareSubmission = {
        jobId: 'j1',
        extranonce1: Buffer.from(NICEHASH_SHARE.extranonce, 'hex'),
        extranonce2: Buffer.from(NICEHASH_SHARE.minerNonce, 'hex'),
        ntime: 0,
        nonce: 0,
      };
      const pow = await eth.hashShare(job, eth.buildHeader(job, s));
      expect(pow.seal?.toString('hex')).toBe(NICEHASH_SHARE.mix);
      expect(pow.hash.toString('hex')).toBe(NICEHASH_SHARE.final);
      expect(Number(eth.diff1Target / eth.hashValue(pow.hash)) / 2 ** 32).toBeCloseTo(1.863, 3);
    }, BUILD_LIMIT_MS);

    const etcVector = { header: CHFAST_BLOCK_0.header, nonce: CHFAST_BLOCK_0.nonce, block: 11_700_000 };

    it('hashes ETChash epoch 195 (seed epoch 390) on "etc" at ETC block 11,700,000 (§4.7)', async () => {
      const vector = { ...etcVector, epoch: 195, mix: '5612b1aef7ded650a08f0d9e9287ec2ae491a8eb1182b759b29dea7715fb2024', final: '763752d68ce082929f87604872975ad894cd79c39964bd89754db4360b3af8e1' };
      const { job, pow } = await hashVector(etc, vector, ETCHASH_SEEDS[195], 11_700_000, 2);
      expect(job.work).toMatchObject({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
      expect(pow.seal?.toString('hex')).toBe(vector.mix);
      expect(pow.hash.toString('hex')).toBe(vector.final);
    }, BUILD_LIMIT_MS);

    it('hashes the same block as plain ethash epoch 390 (same seed) differently on "eth": the negative control of §4.7', async () => {
      const vector = { ...etcVector, epoch: 390, mix: 'b7f615a24b0fdaaaf9568f6afb5e57934b9341a666a56cf129d8ad49690e5994', final: '330b98ac20de8046fedb97ac7c57fb655ae175638bf4e975410031d072c5142c' };
      const { job, pow } = await hashVector(eth, vector, ETCHASH_SEEDS[195], 11_700_000, 2);
      expect(job.work).toMatchObject({ algo: 'ethash', epoch: 390, seedEpoch: 390 });
      expect(pow.seal?.toString('hex')).toBe(vector.mix);
      expect(pow.hash.toString('hex')).toBe(vector.final);
      // at most 3 light caches stay (epochs 0, 50, 195 and 390 were built)
      expect(contexts.held().length).toBeLessThanOrEqual(3);
    }, BUILD_LIMIT_MS);

    it('refuses a header that is not 40 bytes', async () => {
      const job: CoinJob = eth.createJob(template(2, CHFAST_BLOCK_2.header, EPOCH_SEEDS[0]), context, CONFIG);
      await expect(eth.hashShare(job, Buffer.alloc(39))).rejects.toThrow('an ethash share header is 40 bytes (header hash + nonce), got 39');
    });
  });
});
