import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { bip34HeightPush } from './bip34-height-push';

describe('bip34HeightPush', () => {
  describe('when given height 1263442 (testnet3, facts/bitcoin-blocks.md)', () => {
    it('returns the push that opens that block\'s coinbase scriptSig', () => {
      expect(bip34HeightPush(1263442).toString('hex')).toBe(TESTNET3_1263442.heightPush);
      expect(TESTNET3_1263442.scriptSig.startsWith(TESTNET3_1263442.heightPush)).toBe(true);
    });
  });

  describe('when the height is 1..16', () => {
    it('returns OP_1..OP_16 as Core\'s CScript() << nHeight does', () => {
      expect(bip34HeightPush(1).toString('hex')).toBe('51');
      expect(bip34HeightPush(16).toString('hex')).toBe('60');
    });
  });

  describe('when the height is 0', () => {
    it('returns OP_0', () => {
      expect(bip34HeightPush(0).toString('hex')).toBe('00');
    });
  });

  describe('when the height needs a CScriptNum push', () => {
    it('pushes minimal little-endian bytes', () => {
      expect(bip34HeightPush(17).toString('hex')).toBe('0111');
      expect(bip34HeightPush(127).toString('hex')).toBe('017f');
      expect(bip34HeightPush(256).toString('hex')).toBe('020001');
    });

    it('appends 0x00 when the top byte has bit 7 set, keeping the number positive', () => {
      expect(bip34HeightPush(128).toString('hex')).toBe('028000');
      expect(bip34HeightPush(255).toString('hex')).toBe('02ff00');
      expect(bip34HeightPush(0x800000).toString('hex')).toBe('0400008000');
    });

    it('encodes mainnet heights in 3 bytes (BIP 34 activation height 227931 = 0x037a5b)', () => {
      expect(bip34HeightPush(227931).toString('hex')).toBe('035b7a03');
    });
  });

  describe('when the height is negative or fractional', () => {
    it('throws LodeError(node)', () => {
      expect(() => bip34HeightPush(-1)).toThrow(expect.objectContaining({ kind: 'node' }));
      expect(() => bip34HeightPush(1.5)).toThrow(expect.objectContaining({ kind: 'node' }));
    });
  });
});
