import { Block } from 'bitcoinjs-lib';
import { MAINNET_100000, TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { serializeBlock } from './serialize-block';

/** The real block's non-coinbase transactions, cut out by bitcoinjs-lib (an independent parser). */
function otherTransactions(rawBlock: string): string[] {
  return (Block.fromHex(rawBlock).transactions ?? []).slice(1).map((tx) => tx.toHex());
}

describe('serializeBlock', () => {
  describe('when given the parts of mainnet block 100000 (no witness)', () => {
    it('reproduces the raw block', () => {
      const txs = otherTransactions(MAINNET_100000.rawBlock);
      expect(txs).toHaveLength(3);
      const hex = serializeBlock(Buffer.from(MAINNET_100000.header, 'hex'), Buffer.from(MAINNET_100000.coinbase, 'hex'), txs);
      expect(hex).toBe(MAINNET_100000.rawBlock);
    });
  });

  describe('when given the parts of testnet3 block 1263442 (witness coinbase)', () => {
    it('reproduces the raw block', () => {
      const hex = serializeBlock(
        Buffer.from(TESTNET3_1263442.header, 'hex'),
        Buffer.from(TESTNET3_1263442.coinbaseWithWitness, 'hex'),
        otherTransactions(TESTNET3_1263442.rawBlock),
      );
      expect(hex).toBe(TESTNET3_1263442.rawBlock);
    });
  });

  describe('when the header is not 80 bytes', () => {
    it('throws LodeError(share)', () => {
      expect(() => serializeBlock(Buffer.alloc(79), Buffer.alloc(10), [])).toThrow(
        expect.objectContaining({ kind: 'share', message: 'block header is 79 bytes, expected 80' }),
      );
    });
  });
});
