import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { displayFromRaw, rawFromDisplay } from '../testing/sha256d.fixture';
import { sha256d } from './sha256d';

// Expected values: facts/bitcoin-blocks.md (mainnet 100000, testnet3 1263442), via the fixtures.
function checkVectors(hash: (data: Uint8Array) => Buffer): void {
  expect(displayFromRaw(hash(Buffer.from(MAINNET_100000.coinbase, 'hex')))).toBe(MAINNET_100000.txidsDisplay[0]);
  expect(displayFromRaw(hash(Buffer.from(TESTNET3_1263442.coinbase, 'hex')))).toBe(TESTNET3_1263442.txidsDisplay[0]);
  expect(displayFromRaw(hash(Buffer.from(MAINNET_100000.header, 'hex')))).toBe(MAINNET_100000.hashDisplay);
  expect(displayFromRaw(hash(Buffer.from(TESTNET3_1263442.header, 'hex')))).toBe(TESTNET3_1263442.hashDisplay);
  // branch[1] of block 100000 = sha256d(txid2 raw | txid3 raw), a 64-byte input
  const pair = Buffer.concat([rawFromDisplay(MAINNET_100000.txidsDisplay[2]), rawFromDisplay(MAINNET_100000.txidsDisplay[3])]);
  expect(hash(pair).toString('hex')).toBe(MAINNET_100000.branches[1]);
}

describe('sha256d', () => {
  describe('when given the facts coinbases (any length), headers and a 64-byte branch pair', () => {
    it('returns their txids, block hashes and branch in hash order', () => {
      checkVectors(sha256d);
    });
  });

  describe('when given a Uint8Array view at an offset into a larger buffer', () => {
    it('hashes only the viewed bytes', () => {
      const coinbase = Buffer.from(MAINNET_100000.coinbase, 'hex');
      const backing = new Uint8Array(coinbase.length + 10).fill(0xee);
      backing.set(coinbase, 7);
      const view = new Uint8Array(backing.buffer, 7, coinbase.length);
      expect(displayFromRaw(sha256d(view))).toBe(MAINNET_100000.txidsDisplay[0]);
    });
  });

  describe('when node has no one-shot crypto.hash (node < 20.12)', () => {
    it('falls back to createHash with the same results', () => {
      const real = jest.requireActual<typeof import('node:crypto')>('node:crypto');
      const createHash = jest.fn(real.createHash);
      jest.isolateModules(() => {
        jest.doMock('node:crypto', () => ({ ...real, hash: undefined, createHash }));
        const fallback = (jest.requireActual('./sha256d') as { sha256d: typeof sha256d }).sha256d;
        checkVectors(fallback);
      });
      expect(createHash).toHaveBeenCalledWith('sha256');
      jest.dontMock('node:crypto');
    });
  });
});
