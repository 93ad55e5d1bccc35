import { blockSubsidy } from './block-subsidy';

describe('blockSubsidy', () => {
  describe('when on the regtest schedule (halving every 150 blocks)', () => {
    it('pays 50 BTC before the first halving and halves after each 150', () => {
      expect(blockSubsidy(1)).toBe(5_000_000_000n);
      expect(blockSubsidy(149)).toBe(5_000_000_000n);
      expect(blockSubsidy(150)).toBe(2_500_000_000n);
      expect(blockSubsidy(300)).toBe(1_250_000_000n);
    });

    it('pays nothing after 64 halvings', () => {
      expect(blockSubsidy(64 * 150)).toBe(0n);
    });
  });

  describe('when on the mainnet schedule (210,000)', () => {
    it('pays 6.25 BTC at height 630,000 (the third halving)', () => {
      expect(blockSubsidy(630_000, 210_000)).toBe(625_000_000n);
    });
  });
});
