import { loadEthashNative, type EthashNative, type LightCache } from './index';

// facts/ethash.md §4.5: the share of the NiceHash EthereumStratum/1.0.0 spec
// example (epoch 50; extranonce a2eea0 + miner nonce cfae7df760).
const SEED = 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c';
const HEADER = Buffer.from('fc12eb20c58158071c956316cdcd12a22dd8bf126ac4aee559f0ffe4df11f279', 'hex');
const NONCE = 0xa2eea0cfae7df760n;
const MIX = 'f6cd1b1ca4c4ea8ef652f929e3d04b24fb4a4a41be30ebcd68226067c76768c3';
const FINAL = '000000008967835bc523bf58c952df82be871ba937996c86b9419bcc967028a0';

describe('ethash native addon on the NiceHash ES1 example share', () => {
  let native: EthashNative;
  let cache: LightCache;

  beforeAll(async () => {
    native = loadEthashNative();
    cache = await native.buildLightCache(native.cacheSize(50), native.seedHash(50));
  }, 60_000);

  describe('when the epoch-50 cache is built', () => {
    it('uses the seed hash of the example job', () => {
      expect(native.seedHash(50).toString('hex')).toBe(SEED);
    });

    it('gives the published mix and final', async () => {
      const result = await cache.hashAsync(native.datasetSize(50), HEADER, NONCE);
      expect(result.mix.toString('hex')).toBe(MIX);
      expect(result.final.toString('hex')).toBe(FINAL);
    });

    it('meets the difficulty-1 share target 0x00000000ffff0000... (share difficulty 1.863)', async () => {
      const target = Buffer.from('00000000ffff' + '0'.repeat(52), 'hex');
      const result = await native.scanLight(cache, native.datasetSize(50), HEADER, NONCE, 1, target, 1);
      expect(result.hits.map((h) => h.nonce)).toEqual([NONCE]);
    });
  });
});
