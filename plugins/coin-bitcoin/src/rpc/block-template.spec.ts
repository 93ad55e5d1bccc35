import { parseBlockTemplate, templateTxid } from './block-template';

const TXID = '2c21d40599523d6d24ed1cfe06346d0080362dc1d13f86d4a7f06931c73ce0e0';

function template(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: 0x20000000,
    previousblockhash: '00000000b428e0bdccda662987a251a62f15ecd534b22ddb96a3399c521a8d1c',
    transactions: [{ data: '00', txid: TXID }],
    coinbasevalue: 312_500_000,
    curtime: 1_700_000_000,
    bits: '1d00ffff',
    height: 10,
    ...overrides,
  };
}

describe('parseBlockTemplate', () => {
  describe('when given a well-formed result', () => {
    it('returns it as is', () => {
      const raw = template();
      expect(parseBlockTemplate(raw)).toBe(raw);
    });
  });

  describe('when a member is missing or malformed', () => {
    it.each([
      [null, 'getblocktemplate result is null, expected an object'],
      [template({ height: -1 }), 'getblocktemplate height is -1, expected a uint32'],
      [template({ previousblockhash: 'abc' }), 'getblocktemplate previousblockhash is "abc", expected 64 hex digits'],
      [template({ coinbasevalue: '1' }), 'getblocktemplate coinbasevalue is "1", expected satoshis as a non-negative integer'],
      [template({ transactions: {} }), 'getblocktemplate transactions is {}, expected an array'],
      [template({ transactions: [{ data: 'zz', txid: TXID }] }), 'getblocktemplate transactions[0].data is not hex'],
      [template({ transactions: [{ data: '00' }] }), 'getblocktemplate transactions[0].txid is undefined, expected 64 hex digits'],
      [template({ default_witness_commitment: 'x' }), 'getblocktemplate default_witness_commitment is "x", expected a hex script'],
    ])('throws LodeError(node) naming it (%#)', (raw, message) => {
      expect(() => parseBlockTemplate(raw)).toThrow(expect.objectContaining({ kind: 'node', message }));
    });
  });
});

describe('templateTxid', () => {
  describe('when the node sent txid and hash (BIP 145)', () => {
    it('returns the txid', () => {
      expect(templateTxid({ data: '00', txid: TXID, hash: 'ff'.repeat(32) })).toBe(TXID);
    });
  });

  describe('when a pre-BIP 145 node sent only hash', () => {
    it('returns hash, which then is the txid', () => {
      expect(parseBlockTemplate(template({ transactions: [{ data: '00', hash: TXID }] })).transactions.map(templateTxid)).toEqual([TXID]);
    });
  });
});
