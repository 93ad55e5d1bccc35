import { keccak256 } from './keccak256';
import { MAX_SEED_EPOCH, SeedEpochs } from './seed-epochs';

// Seeds from chfast/ethash epoch_seed_test_cases and the ETChash table (facts/ethash.md §4.6, §4.7).
const SEED_1 = '290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563';
const SEED_171 = 'a9b0e0c9aca72c07ba06b5bbdae8b8f69e61878301508473379bb4f71807d707';
const SEED_2048 = '20a7678ca7b50829183baac2e1e3c43fa3c4bcbc171b11cf5a9f30bebd172920';
const SEED_ETCHASH_195 = 'e79f0f63030bf691445c2b9d0266b24a9619e355194067f2ad2c73a8e0a26c65';
const SEED_50 = 'abad8f99f3918bf903c6a909d9bbc0fdfa5a2f4b9cb1196175ec825c6610126c';

describe('keccak256', () => {
  it('is the original Keccak (0x01 padding), not SHA3-256', () => {
    expect(keccak256(Buffer.alloc(0)).toString('hex')).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
    expect(keccak256(Buffer.alloc(32)).toString('hex')).toBe(SEED_1);
  });

  it('absorbs inputs longer than one 136-byte block', () => {
    // keccak256("a" * 200): the value @noble/hashes 1.8.0 keccak_256 gives (an independent implementation)
    expect(keccak256(Buffer.alloc(200, 0x61)).toString('hex')).toBe('96ea54061def936c4be90b518992fdc6f12f535068a256229aca54267b4d084d');
  });
});

describe('SeedEpochs', () => {
  it('finds the epoch of published seeds', () => {
    const seeds = new SeedEpochs();
    expect(seeds.seedEpochOf('00'.repeat(32))).toBe(0);
    expect(seeds.seedEpochOf(SEED_171)).toBe(171);
    expect(seeds.seedEpochOf(SEED_1.toUpperCase())).toBe(1);
    expect(seeds.seedEpochOf(SEED_2048)).toBe(2048);
    expect(seeds.seedEpochOf(SEED_50)).toBe(50);
  });

  it('reads ETChash jobs as half the seed epoch, ethash as the seed epoch (ECIP-1099)', () => {
    const seeds = new SeedEpochs();
    expect(seeds.workOf(SEED_ETCHASH_195, 'etchash', 'ethash')).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
    expect(seeds.workOf(SEED_ETCHASH_195, 'ethash', 'etchash')).toEqual({ algo: 'ethash', epoch: 390, seedEpoch: 390 });
    // no algo: the coin decides; an odd seed epoch on an ETChash chain is pre-fork ethash
    expect(seeds.workOf(SEED_ETCHASH_195, undefined, 'etchash')).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
    expect(seeds.workOf(SEED_ETCHASH_195, undefined, 'ethash')).toEqual({ algo: 'ethash', epoch: 390, seedEpoch: 390 });
    expect(seeds.workOf(SEED_171, undefined, 'etchash')).toEqual({ algo: 'ethash', epoch: 171, seedEpoch: 171 });
  });

  it('refuses an etchash job with an odd seed epoch and an unknown algo', () => {
    const seeds = new SeedEpochs();
    expect(() => seeds.workOf(SEED_171, 'etchash', 'etchash')).toThrow('seed epoch 171');
    expect(() => seeds.workOf(SEED_1, 'progpow', 'ethash')).toThrow('job algo "progpow"');
  });

  it(`refuses a seed hash of no epoch up to ${MAX_SEED_EPOCH}`, () => {
    const seeds = new SeedEpochs();
    expect(() => seeds.workOf('ab'.repeat(32), undefined, 'ethash')).toThrow(`seed of no epoch up to ${MAX_SEED_EPOCH}`);
    // the chain is kept: known seeds are still found
    expect(seeds.seedEpochOf(SEED_2048)).toBe(2048);
  });
});
