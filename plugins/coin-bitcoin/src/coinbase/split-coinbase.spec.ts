import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { splitCoinbase } from './split-coinbase';

describe('splitCoinbase', () => {
  describe('when cut inside the scriptSig of a real coinbase', () => {
    it('returns pieces that concatenate to the coinbase', () => {
      const { coinb1, extranonce, coinb2 } = splitCoinbase(TESTNET3_1263442.coinbase, 50, 8);
      expect(coinb1).toHaveLength(50);
      expect(extranonce).toHaveLength(8);
      expect(Buffer.concat([coinb1, extranonce, coinb2]).toString('hex')).toBe(TESTNET3_1263442.coinbase);
    });
  });

  describe('when the cut falls outside the coinbase', () => {
    it('throws LodeError(protocol)', () => {
      expect(() => splitCoinbase('00'.repeat(10), 5, 8)).toThrow(expect.objectContaining({ kind: 'protocol' }));
    });
  });
});
