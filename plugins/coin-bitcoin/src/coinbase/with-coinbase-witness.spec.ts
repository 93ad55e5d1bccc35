import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { withCoinbaseWitness } from './with-coinbase-witness';

describe('withCoinbaseWitness', () => {
  describe('when given the testnet3 1263442 coinbase without witness', () => {
    it('returns the coinbase as serialized in that block', () => {
      const result = withCoinbaseWitness(Buffer.from(TESTNET3_1263442.coinbase, 'hex'));
      expect(result.toString('hex')).toBe(TESTNET3_1263442.coinbaseWithWitness);
    });
  });

  describe('when the input is too short to be a transaction', () => {
    it('throws LodeError(share)', () => {
      expect(() => withCoinbaseWitness(Buffer.alloc(5))).toThrow(expect.objectContaining({ kind: 'share' }));
    });
  });
});
