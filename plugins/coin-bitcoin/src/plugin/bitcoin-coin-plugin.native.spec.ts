import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { BitcoinCoinPlugin } from './bitcoin-coin-plugin';

// Needs the addon: `nx test` builds it first (test dependsOn build-native).
describe('BitcoinCoinPlugin with the native addon', () => {
  describe('when hashing the header of testnet3 block 1263442', () => {
    it('returns the block hash through plugin.hasher and displayHash', () => {
      const plugin = new BitcoinCoinPlugin();
      const hash = plugin.hasher.hash(Buffer.from(TESTNET3_1263442.header, 'hex'));
      expect(plugin.displayHash(hash)).toBe(TESTNET3_1263442.hashDisplay);
    });
  });
});
