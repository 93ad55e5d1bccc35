import { loadEthashNative } from './index';

describe('ethash epoch sizes and seeds', () => {
  const native = loadEthashNative();

  describe('when sizing an epoch', () => {
    // facts/ethash.md §2.9 table, and the chfast sizes below it (epochs 14, 2047, 30000, 32639)
    const sizes: [number, number, number][] = [
      [0, 16_776_896, 1_073_739_904],
      [1, 16_907_456, 1_082_130_304],
      [14, 18_611_392, 1_191_180_416],
      [50, 23_330_752, 1_493_171_584],
      [166, 38_535_104, 2_466_247_808],
      [195, 42_334_912, 2_709_518_464],
      [250, 49_545_152, 3_170_893_184],
      [300, 56_097_856, 3_590_324_096],
      [350, 62_651_584, 4_009_751_168],
      [390, 67_895_104, 4_345_295_488],
      [400, 69_205_568, 4_429_182_848],
      [450, 75_759_296, 4_848_612_224],
      [517, 84_540_608, 5_410_650_496],
      [2047, 285_081_536, 18_245_220_736],
      [30000, 3_948_936_512, 252_731_976_832],
      [32639, 4_294_836_032, 274_869_514_624],
    ];

    it.each(sizes)('epoch %i has cache %i bytes and dataset %i bytes', (epoch, cache, dataset) => {
      expect(native.cacheSize(epoch)).toBe(cache);
      expect(native.datasetSize(epoch)).toBe(dataset);
    });
  });

  describe('when computing seed hashes', () => {
    // facts/ethash.md §4.6 (chfast epoch_seed_test_cases)
    const seeds: [number, string][] = [
      [0, '0000000000000000000000000000000000000000000000000000000000000000'],
      [1, '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563'],
      [171, 'a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707'],
      [2048, '20a7678ca7b50829183baac2e1e3c43fa3c4bcbc171b11cf5a9f30bebd172920'],
      [29998, '1222b1faed7f93098f8ae498621fb3479805a664b70186063861c46596c66164'],
      [29999, 'ee1d0f61b054dff0f3025ebba821d405c8dc19a983e582e9fa5436fc3e7a07d8'],
      [32638, '9472a82f992649315e3977120843a5a246e375715bd70ee98b3dd77c63154e99'],
      [32639, '09b435f2d92d0ddee038c379be8db1f895c904282e9ceb790f519a6aa3f83810'],
    ];

    it.each(seeds)('seed epoch %i is %s', (epoch, seed) => {
      expect(native.seedHash(epoch).toString('hex')).toBe(seed);
    });

    it('gives ETChash epoch e the ethash seed of epoch 2e (facts §2.8, §4.7 epoch 195)', () => {
      expect(native.seedHash(2 * 195).toString('hex')).toBe('e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65');
    });
  });

  describe('when asked which code path runs', () => {
    it('says portable', () => {
      expect(native.implementation()).toBe('portable');
    });
  });
});
