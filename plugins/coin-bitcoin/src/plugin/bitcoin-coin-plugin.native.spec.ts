import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { BitcoinCoinPlugin } from './bitcoin-coin-plugin';

// The addon is built by `npx nx run @lode/coin-bitcoin:build-native`; without it only this file is skipped.
const nativeDir = join(__dirname, '..', '..', 'native');
const addonBuilt = existsSync(nativeDir) && readdirSync(nativeDir).some((f) => f.endsWith('.node'));
const describeWithAddon = addonBuilt ? describe : describe.skip;

describeWithAddon('BitcoinCoinPlugin with the native addon (skipped when native/*.node is not built)', () => {
  describe('when hashing the header of testnet3 block 1263442', () => {
    it('returns the block hash through plugin.hasher and displayHash', () => {
      const plugin = new BitcoinCoinPlugin();
      const hash = plugin.hasher.hash(Buffer.from(TESTNET3_1263442.header, 'hex'));
      expect(plugin.displayHash(hash)).toBe(TESTNET3_1263442.hashDisplay);
    });
  });
});
