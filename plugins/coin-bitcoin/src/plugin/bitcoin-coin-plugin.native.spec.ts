import type { CoinJob } from '@lode/plugin-api';
import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { realBlockJob } from '../testing/real-block-job.fixture';
import { displayFromRaw, referenceSha256d } from '../testing/sha256d.fixture';
import { BitcoinCoinPlugin } from './bitcoin-coin-plugin';

// Needs the addon: `nx test` builds it first (test dependsOn build-native).
describe('BitcoinCoinPlugin with the native addon', () => {
  describe('when hashing the header of testnet3 block 1263442', () => {
    it('returns the block hash through plugin.hasher and displayHash', () => {
      const plugin = new BitcoinCoinPlugin();
      const hash = plugin.hasher.hash(Buffer.from(TESTNET3_1263442.header, 'hex'));
      expect(plugin.displayHash(hash)).toBe(TESTNET3_1263442.hashDisplay);
    });
  });

  describe.each([
    ['mainnet block 100000 (two branches)', MAINNET_100000, 42],
    ['testnet3 block 1263442 (one branch)', TESTNET3_1263442, 42 + 26],
  ] as const)('when building the header of a share replayed from %s', (_name, block, offset) => {
    it('writes the real header, merkle root from the addon', () => {
      const plugin = new BitcoinCoinPlugin();
      const { job, share } = realBlockJob(block, offset);
      const header = plugin.buildHeader(job, share);
      expect(header.toString('hex')).toBe(block.header);
      expect(displayFromRaw(referenceSha256d(header))).toBe(block.hashDisplay);
      expect(plugin.displayHash(plugin.hasher.hash(header))).toBe(block.hashDisplay);
    });

    it('gives each share of a job its own coinbase: other extranonces, another root; the same ones, the same header again', () => {
      const plugin = new BitcoinCoinPlugin();
      const { job, share } = realBlockJob(block, offset);
      const first = plugin.buildHeader(job, share);
      const other = plugin.buildHeader(job, { ...share, extranonce2: Buffer.from('ffffffff', 'hex') });
      expect(other.subarray(36, 68).equals(first.subarray(36, 68))).toBe(false);
      expect(other.toString('hex')).not.toBe(block.header);
      expect(first.toString('hex')).toBe(block.header);
      expect(plugin.buildHeader(job, share).toString('hex')).toBe(block.header);
    });

    it('builds the same header for a job a miner built from mining.notify alone', () => {
      const plugin = new BitcoinCoinPlugin();
      const { job, share } = realBlockJob(block, offset);
      const minerJob: CoinJob = { ...job, bitcoin: undefined } as unknown as CoinJob;
      expect(plugin.buildHeader(minerJob, share).toString('hex')).toBe(block.header);
    });
  });
});
