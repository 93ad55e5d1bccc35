import { blockTagParam, boolParam, fixedHexParam, uint64Param } from './geth-params';

// Expected messages: go-ethereum common/hexutil (errors.go: "hex string without 0x prefix",
// "hex string of odd length", "invalid hex string", "hex number with leading zero digits",
// "hex number > 64 bits"; json.go UnmarshalFixedText: "hex string has length %d, want %d for %s")
// wrapped as Go's json.UnmarshalTypeError, then rpc "invalid argument %d: %v" with code -32602.
const invalid = (message: string) => expect.objectContaining({ kind: 'node', code: -32602, message });

describe('fixedHexParam', () => {
  describe('when the value is "0x" and the right number of hex digits', () => {
    it('decodes it, either case', () => {
      expect(fixedHexParam('0x00000000000000FF', 0, 8, 'types.BlockNonce')).toEqual(Buffer.from('00000000000000ff', 'hex'));
      expect(fixedHexParam(`0X${'ab'.repeat(32)}`, 1, 32, 'common.Hash')).toEqual(Buffer.alloc(32, 0xab));
    });
  });

  describe('when the value is malformed', () => {
    it('throws -32602 with geth\'s message naming the argument', () => {
      const T = 'types.BlockNonce';
      expect(() => fixedHexParam('0x00000000000001', 0, 8, T)).toThrow(invalid('invalid argument 0: hex string has length 14, want 16 for types.BlockNonce'));
      expect(() => fixedHexParam('', 0, 8, T)).toThrow(invalid('invalid argument 0: hex string has length 0, want 16 for types.BlockNonce'));
      expect(() => fixedHexParam('0000000000000001', 0, 8, T)).toThrow(
        invalid('invalid argument 0: json: cannot unmarshal hex string without 0x prefix into Go value of type types.BlockNonce'),
      );
      expect(() => fixedHexParam('0x000', 0, 8, T)).toThrow(
        invalid('invalid argument 0: json: cannot unmarshal hex string of odd length into Go value of type types.BlockNonce'),
      );
      expect(() => fixedHexParam(`0x${'zz'.repeat(32)}`, 2, 32, 'common.Hash')).toThrow(
        invalid('invalid argument 2: json: cannot unmarshal invalid hex string into Go value of type common.Hash'),
      );
      expect(() => fixedHexParam(5, 1, 32, 'common.Hash')).toThrow(
        invalid('invalid argument 1: json: cannot unmarshal non-string into Go value of type common.Hash'),
      );
    });
  });
});

describe('uint64Param', () => {
  it('decodes quantities and the empty string', () => {
    expect(uint64Param('0x0', 0)).toBe(0n);
    expect(uint64Param('0x3e8', 0)).toBe(1000n);
    expect(uint64Param('0xffffffffffffffff', 0)).toBe((1n << 64n) - 1n);
    expect(uint64Param('', 0)).toBe(0n);
  });

  it('refuses leading zeros, 65-bit numbers and missing prefixes as geth does', () => {
    const T = 'into Go value of type hexutil.Uint64';
    expect(() => uint64Param(`0x${'0'.repeat(60)}3e8`, 0)).toThrow(invalid(`invalid argument 0: json: cannot unmarshal hex number with leading zero digits ${T}`));
    expect(() => uint64Param('0x10000000000000000', 0)).toThrow(invalid(`invalid argument 0: json: cannot unmarshal hex number > 64 bits ${T}`));
    expect(() => uint64Param('3e8', 0)).toThrow(invalid(`invalid argument 0: json: cannot unmarshal hex string without 0x prefix ${T}`));
    expect(() => uint64Param(1000, 0)).toThrow(invalid(`invalid argument 0: json: cannot unmarshal non-string ${T}`));
  });
});

describe('blockTagParam', () => {
  it('takes the tags and hex quantities', () => {
    expect(blockTagParam('latest', 0)).toBe('latest');
    expect(blockTagParam('pending', 0)).toBe('pending');
    expect(blockTagParam('earliest', 0)).toBe('earliest');
    expect(blockTagParam('0x7530', 0)).toBe(30_000);
    expect(blockTagParam('0x0', 0)).toBe(0);
  });

  it('refuses decimal numbers, leading zeros and unknown words', () => {
    expect(() => blockTagParam(5, 0)).toThrow(invalid('invalid argument 0: hex string without 0x prefix'));
    expect(() => blockTagParam('0x05', 0)).toThrow(invalid('invalid argument 0: hex number with leading zero digits'));
    expect(() => blockTagParam('newest', 0)).toThrow(invalid('invalid argument 0: hex string without 0x prefix'));
    expect(() => blockTagParam('', 0)).toThrow(invalid('invalid argument 0: empty hex string'));
  });
});

describe('boolParam', () => {
  it('takes booleans (null as false) and refuses the rest', () => {
    expect(boolParam(true, 1)).toBe(true);
    expect(boolParam(null, 1)).toBe(false);
    expect(() => boolParam('false', 1)).toThrow(invalid('invalid argument 1: json: cannot unmarshal string into Go value of type bool'));
  });
});
