import { LodeError } from '@lode/plugin-api';
import { EthashContexts } from '../epoch/ethash-contexts';
import { ETC_COIN, ETH_COIN } from './ethereum-coin-profile';
import { EthereumCoinPlugin } from './ethereum-coin-plugin';

/** Seeds from facts/ethash.md §4.6 (chfast epoch_seed_test_cases) and §4.7 (ETChash epoch 195 = keccak256^390). */
const SEED = {
  0: Buffer.alloc(32),
  1: Buffer.from('290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563', 'hex'),
  171: Buffer.from('a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707', 'hex'),
  390: Buffer.from('e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65', 'hex'),
  32639: Buffer.from('09b435f2d92d0ddee038c379be8db1f895c904282e9ceb790f519a6aa3f83810', 'hex'),
} as const;

describe('EthereumCoinPlugin.workOfSeed (work that names only its seed hash: ES1, EthProxy, plain stratum)', () => {
  const contexts = new EthashContexts({ warmNext: false });
  const eth = new EthereumCoinPlugin(ETH_COIN, contexts);
  const etc = new EthereumCoinPlugin(ETC_COIN, contexts);

  it('reads an ethash seed as the epoch of its place on the keccak256 chain', () => {
    expect(eth.workOfSeed(SEED[0])).toEqual({ algo: 'ethash', epoch: 0, seedEpoch: 0 });
    expect(eth.workOfSeed(SEED[171])).toEqual({ algo: 'ethash', epoch: 171, seedEpoch: 171 });
    expect(eth.workOfSeed(SEED[32639])).toEqual({ algo: 'ethash', epoch: 32639, seedEpoch: 32639 });
    expect(eth.workOfSeed(SEED[390])).toEqual({ algo: 'ethash', epoch: 390, seedEpoch: 390 });
  });

  it('follows the pool\'s algo flag: "etchash" halves the seed epoch (ECIP-1099), an odd one is no ETChash seed', () => {
    expect(eth.workOfSeed(SEED[390], 'etchash')).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
    expect(etc.workOfSeed(SEED[390], 'ethash')).toEqual({ algo: 'ethash', epoch: 390, seedEpoch: 390 });
    expect(etc.workOfSeed(SEED[171], 'etchash')).toBeUndefined();
  });

  it('without a flag, the etc coin reads seeds from its fork (seed epoch 390) on as ETChash and earlier ones as ethash', () => {
    expect(etc.workOfSeed(SEED[390])).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
    expect(etc.workOfSeed(SEED[171])).toEqual({ algo: 'ethash', epoch: 171, seedEpoch: 171 });
    expect(etc.workOfSeed(SEED[1])).toEqual({ algo: 'ethash', epoch: 1, seedEpoch: 1 });
  });

  it('answers undefined for a seed of no epoch, and refuses a seed that is not 32 bytes', () => {
    expect(eth.workOfSeed(Buffer.alloc(32, 0xab))).toBeUndefined();
    expect(() => eth.workOfSeed(Buffer.alloc(31))).toThrow(LodeError);
  });
});
