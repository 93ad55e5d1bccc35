import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { rawFromDisplay, referenceSha256d } from '../testing/sha256d.fixture';
import { merkleBranches } from './merkle-branches';
import { merkleRootFromBranches } from './merkle-root-from-branches';

describe('merkleBranches', () => {
  describe('when given the non-coinbase txids of mainnet block 100000', () => {
    it('returns the two branches from facts/bitcoin-blocks.md', () => {
      const txids = MAINNET_100000.txidsDisplay.slice(1).map(rawFromDisplay);
      expect(merkleBranches(txids).map((b) => b.toString('hex'))).toEqual(MAINNET_100000.branches);
    });
  });

  describe('when given the one non-coinbase txid of testnet3 block 1263442', () => {
    it('returns that txid in raw order as the only branch', () => {
      const txids = TESTNET3_1263442.txidsDisplay.slice(1).map(rawFromDisplay);
      expect(merkleBranches(txids).map((b) => b.toString('hex'))).toEqual(TESTNET3_1263442.branches);
    });
  });

  describe('when the block has only its coinbase', () => {
    it('returns no branch', () => {
      expect(merkleBranches([])).toEqual([]);
    });
  });

  describe('when a level has an odd count', () => {
    it('pairs the last hash with itself (coinbase + 4 transactions = 5 leaves)', () => {
      const [a, b, c, d] = [1, 2, 3, 4].map((n) => Buffer.alloc(32, n));
      const dd = referenceSha256d(Buffer.concat([d, d]));
      // leaves [cb, a, b, c, d, d] -> [x, H(b|c), H(d|d), H(d|d)] -> [y, H(H(d|d)|H(d|d))]
      const expected = [a, referenceSha256d(Buffer.concat([b, c])), referenceSha256d(Buffer.concat([dd, dd]))];
      expect(merkleBranches([a, b, c, d])).toEqual(expected);
    });
  });
});

describe('merkleRootFromBranches', () => {
  describe('when folding sha256d(coinbase) of mainnet block 100000 through its branches', () => {
    it('gives the merkle root of the facts header', () => {
      const coinbaseHash = referenceSha256d(Buffer.from(MAINNET_100000.coinbase, 'hex'));
      const root = merkleRootFromBranches(coinbaseHash, MAINNET_100000.branches.map((b) => Buffer.from(b, 'hex')));
      expect(root).toEqual(rawFromDisplay(MAINNET_100000.merkleRootDisplay));
    });
  });

  describe('when folding the testnet3 1263442 coinbase without witness', () => {
    it('gives the merkle root of the facts header', () => {
      const coinbaseHash = referenceSha256d(Buffer.from(TESTNET3_1263442.coinbase, 'hex'));
      expect(coinbaseHash).toEqual(rawFromDisplay(TESTNET3_1263442.txidsDisplay[0]));
      const root = merkleRootFromBranches(coinbaseHash, TESTNET3_1263442.branches.map((b) => Buffer.from(b, 'hex')));
      expect(root).toEqual(rawFromDisplay(TESTNET3_1263442.merkleRootDisplay));
    });
  });

  describe('when there is no branch', () => {
    it('returns the coinbase hash itself', () => {
      const hash = Buffer.alloc(32, 7);
      expect(merkleRootFromBranches(hash, [])).toEqual(hash);
    });
  });
});
