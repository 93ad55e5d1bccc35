import type { SeedWork } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import { SeedEpochs } from './seed-epochs';

// facts/ethash.md §4.6: the seed of ethash epoch 1; §4.7: ETChash epoch 195's seed (= ethash seed epoch 390).
const SEED_1 = '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563';
const SEED_390 = 'e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65';

/** A coin whose workOfSeed knows two seeds and records what it was asked. */
function stubCoin(): { id: string; calls: [string, string | undefined][]; workOfSeed: (seed: Buffer, algo?: 'ethash' | 'etchash') => SeedWork | undefined } {
  const calls: [string, string | undefined][] = [];
  return {
    id: 'etc',
    calls,
    workOfSeed(seed, algo) {
      calls.push([seed.toString('hex'), algo]);
      if (seed.toString('hex') === SEED_1) return algo === 'etchash' ? undefined : { algo: 'ethash', epoch: 1, seedEpoch: 1 };
      if (seed.toString('hex') === SEED_390) return { algo: 'etchash', epoch: 195, seedEpoch: 390 };
      return undefined;
    },
  };
}

describe('SeedEpochs', () => {
  it('asks the coin with the seed bytes and the job\'s algo flag, and returns its answer', () => {
    const coin = stubCoin();
    const seeds = new SeedEpochs(coin);
    expect(seeds.workOf(SEED_390.toUpperCase(), undefined)).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
    expect(seeds.workOf(SEED_1, 'ethash')).toEqual({ algo: 'ethash', epoch: 1, seedEpoch: 1 });
    expect(coin.calls).toEqual([
      [SEED_390, undefined],
      [SEED_1, 'ethash'],
    ]);
  });

  it('refuses a seed of no epoch, an odd ETChash seed, an unknown algo and a seed that is not 64 hex digits', () => {
    const seeds = new SeedEpochs(stubCoin());
    expect(() => seeds.workOf('ab'.repeat(32), undefined)).toThrow('is the seed of no epoch');
    expect(() => seeds.workOf(SEED_1, 'etchash')).toThrow('is the seed of no ETChash epoch');
    expect(() => seeds.workOf(SEED_1, 'progpow')).toThrow('neither "ethash" nor "etchash"');
    expect(() => seeds.workOf('0x' + SEED_1, undefined)).toThrow(LodeError);
  });

  it('refuses a coin that cannot read seed hashes', () => {
    expect(() => new SeedEpochs({ id: 'btc' })).toThrow("coin 'btc' cannot tell the epoch of a seed hash");
  });
});
