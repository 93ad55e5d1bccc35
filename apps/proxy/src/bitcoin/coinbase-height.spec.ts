import { coinbaseHeight } from './coinbase-height';

/** version 1, one input, the null prevout: what precedes the scriptSig length in every coinb1 */
const HEAD = '01000000' + '01' + '00'.repeat(32) + 'ffffffff';

describe('coinbaseHeight', () => {
  describe('when coinb1 starts its scriptSig with a BIP 34 push', () => {
    it('reads a 3-byte push (height 840000 = 0x0cd140, pushed 40 d1 0c)', () => {
      expect(coinbaseHeight(`${HEAD}1a0340d10c`)).toBe(840000);
    });

    it('reads OP_1..OP_16 and OP_0 for the first heights, and 2-byte pushes', () => {
      expect(coinbaseHeight(`${HEAD}0451`)).toBe(1);
      expect(coinbaseHeight(`${HEAD}0460`)).toBe(16);
      expect(coinbaseHeight(`${HEAD}0400`)).toBe(0);
      // 200 = 0xc8 needs a sign byte: pushed c8 00
      expect(coinbaseHeight(`${HEAD}0402c800`)).toBe(200);
    });
  });

  describe('when coinb1 has no height push', () => {
    it('returns undefined', () => {
      expect(coinbaseHeight('01000000')).toBeUndefined();
      expect(coinbaseHeight(`${HEAD}1a4c`)).toBeUndefined();
      expect(coinbaseHeight(`${HEAD}1a0340d1`)).toBeUndefined();
      expect(coinbaseHeight('zz')).toBeUndefined();
      // a negative number is no height
      expect(coinbaseHeight(`${HEAD}040180`)).toBeUndefined();
    });
  });
});
