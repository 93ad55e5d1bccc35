import { ethashEpochAt, nextEpochStart } from './ethash-epoch';
import type { EthashRules } from './ethash-epoch';

const ETHASH: EthashRules = { algo: 'ethash', ecip1099Block: 0 };
// facts/ethash.md §2.8: ETC mainnet forks at 11_700_000, Mordor at 2_520_000
const ETC: EthashRules = { algo: 'etchash', ecip1099Block: 11_700_000 };
const MORDOR: EthashRules = { algo: 'etchash', ecip1099Block: 2_520_000 };
const DEVNET_ETCHASH: EthashRules = { algo: 'etchash', ecip1099Block: 0 };

describe('ethashEpochAt', () => {
  describe('when the chain is ethash', () => {
    it('counts 30000-block epochs with the seed epoch equal to the epoch (facts §2.1, §2.3)', () => {
      expect(ethashEpochAt(0, ETHASH)).toEqual({ epoch: 0, seedEpoch: 0 });
      expect(ethashEpochAt(29_999, ETHASH)).toEqual({ epoch: 0, seedEpoch: 0 });
      expect(ethashEpochAt(30_000, ETHASH)).toEqual({ epoch: 1, seedEpoch: 1 });
      // facts §2.9: ETH block 5,000,000 is epoch 166
      expect(ethashEpochAt(5_000_000, ETHASH)).toEqual({ epoch: 166, seedEpoch: 166 });
    });
  });

  describe('when the chain is ETChash with ETC mainnet fork block', () => {
    it('is plain ethash before the fork and 60000-block epochs with seed 2e from it (facts §2.8, §4.7)', () => {
      expect(ethashEpochAt(11_699_999, ETC)).toEqual({ epoch: 389, seedEpoch: 389 });
      expect(ethashEpochAt(11_700_000, ETC)).toEqual({ epoch: 195, seedEpoch: 390 });
      expect(ethashEpochAt(11_760_000, ETC)).toEqual({ epoch: 196, seedEpoch: 392 });
      expect(ethashEpochAt(12_000_000, ETC)).toEqual({ epoch: 200, seedEpoch: 400 });
    });

    it('turns Mordor epoch 84 into 42 at its fork (facts §2.8)', () => {
      expect(ethashEpochAt(2_519_999, MORDOR)).toEqual({ epoch: 83, seedEpoch: 83 });
      expect(ethashEpochAt(2_520_000, MORDOR)).toEqual({ epoch: 42, seedEpoch: 84 });
    });
  });

  describe('when the devnet runs ETChash from genesis (ecip1099Block 0)', () => {
    it('keeps epoch 0 across height 30000 and reaches epoch 1 / seed epoch 2 at 60000', () => {
      expect(ethashEpochAt(30_000, DEVNET_ETCHASH)).toEqual({ epoch: 0, seedEpoch: 0 });
      expect(ethashEpochAt(59_999, DEVNET_ETCHASH)).toEqual({ epoch: 0, seedEpoch: 0 });
      expect(ethashEpochAt(60_000, DEVNET_ETCHASH)).toEqual({ epoch: 1, seedEpoch: 2 });
    });
  });

  describe('when the height is not an integer >= 0', () => {
    it('throws LodeError(config)', () => {
      for (const height of [-1, 1.5, Number.NaN]) {
        expect(() => ethashEpochAt(height, ETHASH)).toThrow(expect.objectContaining({ kind: 'config' }));
      }
    });
  });
});

describe('nextEpochStart', () => {
  it('is the first block of the next epoch', () => {
    expect(nextEpochStart(1, ETHASH)).toBe(30_000);
    expect(nextEpochStart(29_999, ETHASH)).toBe(30_000);
    expect(nextEpochStart(30_000, ETHASH)).toBe(60_000);
    expect(nextEpochStart(1, DEVNET_ETCHASH)).toBe(60_000);
    expect(nextEpochStart(11_700_000, ETC)).toBe(11_760_000);
  });

  it('stops at the ECIP-1099 block when that comes first', () => {
    expect(nextEpochStart(11_690_000, ETC)).toBe(11_700_000);
    expect(ethashEpochAt(nextEpochStart(11_690_000, ETC), ETC)).toEqual({ epoch: 195, seedEpoch: 390 });
  });
});
