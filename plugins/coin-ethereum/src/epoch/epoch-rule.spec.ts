import { LodeError } from '@lode/plugin-api';
import { ETC_ECIP1099_BLOCK, MORDOR_ECIP1099_BLOCK } from './epoch-lengths';
import { etchashRule, ethashRule } from './epoch-rule';
import { etchashEpoch } from './etchash-epoch';
import { ethashEpoch } from './ethash-epoch';
import { seedEpochOf } from './seed-epoch-of';

describe('epoch rules', () => {
  describe('when the chain is plain ethash', () => {
    it('counts 30000-block epochs (facts/ethash.md §2.1, §4.1 blocks 2683077 -> 89, 5000000 -> 166)', () => {
      expect(ethashEpoch(0)).toBe(0);
      expect(ethashEpoch(29_999)).toBe(0);
      expect(ethashEpoch(30_000)).toBe(1);
      expect(ethashEpoch(2_683_077)).toBe(89);
      expect(ethashEpoch(5_000_000)).toBe(166);
      expect(ethashEpoch(5_306_861)).toBe(176);
    });

    it('uses the epoch as the seed epoch', () => {
      expect(ethashRule.at(11_730_000)).toEqual({ algo: 'ethash', epoch: 391, seedEpoch: 391 });
      expect(ethashRule.seedEpochOf(30_000)).toBe(1);
      expect(seedEpochOf('ethash', 171)).toBe(171);
    });

    it('refuses heights that are not integers >= 0', () => {
      expect(() => ethashEpoch(-1)).toThrow(LodeError);
      expect(() => ethashEpoch(1.5)).toThrow(/block height must be an integer >= 0, got 1.5/);
    });
  });

  describe('when the chain is ETChash (ECIP-1099, facts/ethash.md §2.8)', () => {
    it('turns ETC epoch 390 into 195 at block 11,700,000', () => {
      expect(ETC_ECIP1099_BLOCK).toBe(11_700_000);
      expect(etchashEpoch(11_699_999, ETC_ECIP1099_BLOCK)).toBe(389);
      expect(etchashEpoch(11_700_000, ETC_ECIP1099_BLOCK)).toBe(195);
      expect(etchashEpoch(11_760_000, ETC_ECIP1099_BLOCK)).toBe(196);
      expect(etchashEpoch(12_000_000, ETC_ECIP1099_BLOCK)).toBe(200);
      expect(etchashEpoch(14_400_000, ETC_ECIP1099_BLOCK)).toBe(240);
    });

    it('turns Mordor epoch 84 into 42 at block 2,520,000', () => {
      expect(etchashEpoch(MORDOR_ECIP1099_BLOCK - 1, MORDOR_ECIP1099_BLOCK)).toBe(83);
      expect(etchashEpoch(MORDOR_ECIP1099_BLOCK, MORDOR_ECIP1099_BLOCK)).toBe(42);
    });

    it("agrees with Besu's EtcHash.epoch(3_000_000) = 50 for activation 2,000,000", () => {
      expect(etchashEpoch(3_000_000, 2_000_000)).toBe(50);
      expect(etchashRule(2_000_000).epochOf(3_000_000)).toBe(50);
    });

    it('keeps the 30000-block seed count: seed epoch = 2 * epoch after the fork', () => {
      const rule = etchashRule();
      expect(rule.at(11_700_000)).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
      // 11,730,000 / 30000 = 391, but the seed stays at epoch 195's (core-geth calcEpochBlock)
      expect(rule.at(11_730_000)).toEqual({ algo: 'etchash', epoch: 195, seedEpoch: 390 });
      expect(rule.seedEpochOf(11_760_000)).toBe(392);
      expect(seedEpochOf('etchash', 195)).toBe(390);
    });

    it('is plain ethash before the fork', () => {
      const rule = etchashRule();
      expect(rule.algo).toBe('etchash');
      expect(rule.forkBlock).toBe(11_700_000);
      expect(rule.at(11_699_999)).toEqual({ algo: 'ethash', epoch: 389, seedEpoch: 389 });
    });

    it('refuses a fork block that is not an integer >= 0', () => {
      expect(() => etchashRule(-1)).toThrow(LodeError);
      expect(() => etchashEpoch(5, 1.5)).toThrow(/ECIP-1099 fork block/);
    });
  });
});
