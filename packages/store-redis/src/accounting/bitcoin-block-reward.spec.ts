import { LodeError } from '@lode/stratum-core';
import { bitcoinBlockReward } from './bitcoin-block-reward';

describe('bitcoinBlockReward', () => {
  describe('when the height is in the first era', () => {
    it('is 50 BTC, as the coinbase of block 100000 pays (facts/bitcoin-blocks.md)', () => {
      // coinbase output value 00f2052a01000000 (LE) = 0x012a05f200 = 5_000_000_000
      expect(bitcoinBlockReward('btc', 100_000)).toBe(5_000_000_000n);
      expect(bitcoinBlockReward('btc', 0)).toBe(5_000_000_000n);
      expect(bitcoinBlockReward('btc', 209_999)).toBe(5_000_000_000n);
    });
  });

  describe('when halvings have passed', () => {
    it('halves every 210000 blocks and reaches 0 at the 64th', () => {
      expect(bitcoinBlockReward('btc', 210_000)).toBe(2_500_000_000n);
      expect(bitcoinBlockReward('btc', 840_000)).toBe(312_500_000n);
      // 5e9 >> 33 = 0 already (5e9 < 2^33); >= 64 halvings is 0 by rule
      expect(bitcoinBlockReward('btc', 64 * 210_000)).toBe(0n);
    });
  });

  describe('when the height is not valid', () => {
    it('throws LodeError(share)', () => {
      expect(() => bitcoinBlockReward('btc', -1)).toThrow(LodeError);
      expect(() => bitcoinBlockReward('btc', 1.5)).toThrow(/integer >= 0/);
    });
  });
});
