import { Container } from 'inversify';
import { COIN_PLUGIN, LodeError, type CoinJob, type ShareSubmission } from '@lode/plugin-api';
import { CHFAST_BLOCK_2, EPOCH_SEEDS, NICEHASH_SHARE } from '../testing/ethash-vectors.fixture';
import { ETC_COIN, ETH_COIN } from './ethereum-coin-profile';
import { EthereumCoinPlugin } from './ethereum-coin-plugin';
import { ethereumPluginModule } from './ethereum-plugin-module';

/** A job for §4.1's block 2 built by hand (createJob needs the addon for its seed check). */
function block2Job(): CoinJob {
  return {
    id: 'j1',
    coin: 'eth',
    height: 2,
    prevHash: `${'0'.repeat(63)}1`,
    networkTarget: 2n ** 224n,
    ntimeMin: 0,
    ntimeMax: 0,
    createdAt: 0,
    work: { dialect: 'ethstratum', headerHash: CHFAST_BLOCK_2.header, seedHash: EPOCH_SEEDS[0], epoch: 0, seedEpoch: 0, algo: 'ethash' },
  };
}

/** The share of §4.1's block 2 with its nonce 307692cf71b12f6d split after `split` bytes. */
function block2Share(split: number): ShareSubmission {
  const nonce = Buffer.from(CHFAST_BLOCK_2.nonce, 'hex');
  return { jobId: 'j1', extranonce1: nonce.subarray(0, split), extranonce2: nonce.subarray(split), ntime: 0, nonce: 0 };
}

describe('EthereumCoinPlugin', () => {
  const eth = new EthereumCoinPlugin(ETH_COIN);
  const etc = new EthereumCoinPlugin(ETC_COIN);

  describe('its identity', () => {
    it('is "eth" (ethash) and "etc" (etchash), EthereumStratum, difficulty 1 = boundary 2^256', () => {
      expect([eth.id, eth.name, eth.algorithm]).toEqual(['eth', 'Ethereum (ethash)', 'ethash']);
      expect([etc.id, etc.name, etc.algorithm]).toEqual(['etc', 'Ethereum Classic (ETChash)', 'etchash']);
      expect(eth.dialects).toEqual(['ethstratum']);
      expect(eth.diff1Target).toBe(2n ** 256n);
      expect((etc.configSchema as { properties: object }).properties).toHaveProperty('ecip1099Block');
      expect((eth.configSchema as { properties: object }).properties).not.toHaveProperty('ecip1099Block');
    });
  });

  describe('when the module is loaded into a container', () => {
    it('binds both coins to COIN_PLUGIN, sharing one epoch hasher', async () => {
      const container = new Container();
      await container.load(ethereumPluginModule);
      const plugins = container.getAll(COIN_PLUGIN);
      expect(plugins.map((p) => p.id)).toEqual(['eth', 'etc']);
      expect(plugins[0]?.epochHasher).toBe(plugins[1]?.epochHasher);
    });
  });

  describe('when the extranonce layout is asked for', () => {
    it('splits the 8-byte nonce into extranonceBytes and the rest', () => {
      expect(eth.extranonceSizes({ node: { url: 'http://x' } })).toEqual({ extranonce1Size: 2, extranonce2Size: 6 });
      expect(etc.extranonceSizes({ node: { url: 'http://x' }, extranonceBytes: 3 })).toEqual({ extranonce1Size: 3, extranonce2Size: 5 });
    });
  });

  describe('when a share is checked', () => {
    it('accepts extranonce1 + extranonce2 = 8 bytes, whatever the split', () => {
      expect(eth.checkShare(block2Job(), block2Share(2))).toBeUndefined();
      expect(eth.checkShare(block2Job(), block2Share(6))).toBeUndefined();
    });

    it('refuses a 7-byte nonce, as the 5-byte GMiner submit of facts/ethash.md §1.2', () => {
      const share: ShareSubmission = {
        jobId: 'j1',
        extranonce1: Buffer.from('0001', 'hex'),
        extranonce2: Buffer.from('000031496f', 'hex'),
        ntime: 0,
        nonce: 0,
      };
      expect(eth.checkShare(block2Job(), share)).toEqual({
        reason: 'bad-extranonce2',
        message: 'the nonce is 7 bytes (extranonce 2 + miner nonce 5), expected 8',
      });
      expect(() => eth.buildHeader(block2Job(), share)).toThrow(LodeError);
    });

    it('refuses a job without EthashWork', () => {
      const job = { ...block2Job(), work: { dialect: 'bitcoin' } } as unknown as CoinJob;
      expect(() => eth.checkShare(job, block2Share(2))).toThrow('carries bitcoin work, not EthashWork');
    });
  });

  describe('when the header is built', () => {
    it('is header hash ‖ nonce big-endian, 40 bytes', () => {
      const header = eth.buildHeader(block2Job(), block2Share(2));
      expect(header.toString('hex')).toBe(CHFAST_BLOCK_2.header + CHFAST_BLOCK_2.nonce);
    });

    it('reads the NiceHash split a2eea0 ‖ cfae7df760 as nonce a2eea0cfae7df760 (facts/ethash.md §1.2)', () => {
      const job = { ...block2Job(), work: { ...(block2Job().work as object), headerHash: NICEHASH_SHARE.header } } as CoinJob;
      const share: ShareSubmission = {
        jobId: 'j1',
        extranonce1: Buffer.from(NICEHASH_SHARE.extranonce, 'hex'),
        extranonce2: Buffer.from(NICEHASH_SHARE.minerNonce, 'hex'),
        ntime: 0,
        nonce: 0,
      };
      expect(eth.buildHeader(job, share).subarray(32).toString('hex')).toBe('a2eea0cfae7df760');
    });
  });

  describe('when a block is built', () => {
    it('gives the eth_submitWork parameters with the seal as mix digest', () => {
      const header = eth.buildHeader(block2Job(), block2Share(2));
      const block = eth.buildBlock(block2Job(), block2Share(2), header, Buffer.from(CHFAST_BLOCK_2.mix, 'hex'));
      expect(JSON.parse(block)).toEqual([`0x${CHFAST_BLOCK_2.nonce}`, `0x${CHFAST_BLOCK_2.header}`, `0x${CHFAST_BLOCK_2.mix}`]);
    });

    it('refuses to build without the seal', () => {
      const header = eth.buildHeader(block2Job(), block2Share(2));
      expect(() => eth.buildBlock(block2Job(), block2Share(2), header)).toThrow(/needs the 32-byte mix digest .* got none/);
    });
  });

  describe('when hashes are read', () => {
    it('reads the final hash big-endian and prints it as is (facts/ethash.md §2.6)', () => {
      const final = Buffer.from(NICEHASH_SHARE.final, 'hex');
      expect(eth.hashValue(final)).toBe(BigInt(`0x${NICEHASH_SHARE.final}`));
      expect(eth.displayHash(final)).toBe(NICEHASH_SHARE.final);
    });
  });

  describe('when the header hasher of the contract is used', () => {
    it('explains that ethash needs hashShare or the epoch hasher', async () => {
      expect(() => eth.hasher.hash(Buffer.alloc(80))).toThrow(/use plugin.hashShare\(job, header\)/);
      await expect(eth.hasher.scan({ header: Buffer.alloc(80), startNonce: 0, count: 1, target: 1n, threads: 1 })).rejects.toThrow(
        /plugin.epochHasher.scan\(\)/,
      );
    });
  });
});
