import { TESTNET_1263442 } from '../testing/real-blocks';
import { coinbaseTag } from './coinbase-tag';

describe('coinbaseTag', () => {
  describe('when the scriptSig holds a /slash/ tag', () => {
    it('returns it', () => {
      expect(coinbaseTag(Buffer.from('51 08 1111111111111111 06 2f4c6f64652f'.replace(/ /g, ''), 'hex'))).toBe('/Lode/');
    });
  });

  describe('when it holds other printable text', () => {
    it('returns the longest run (testnet3 1263442 says "cgminer42")', () => {
      const scriptSig = Buffer.from('0352471300fe5f45765afe94690a000963676d696e6572343208000000000000000000', 'hex');
      expect(TESTNET_1263442.hex).toContain(scriptSig.toString('hex'));
      expect(coinbaseTag(scriptSig)).toBe('cgminer42');
    });
  });

  describe('when it holds no text', () => {
    it('returns ""', () => {
      expect(coinbaseTag(Buffer.from('0101', 'hex'))).toBe('');
    });
  });
});
