import { displayHash } from './display-hash';
import { displayToPrevhashBytes, prevhashToStratum, stratumToPrevhashBytes } from './prevhash';

// facts/bitcoin-stratum.md rule 3, block 125551
const DISPLAY = '00000000000008a3a41b85b8b29ad444def299fee21793cd8b9e567eab02cd81';
const STRATUM = 'ab02cd818b9e567ee21793cddef299feb29ad444a41b85b8000008a300000000';
const HEADER_BYTES = '81cd02ab7e569e8bcd9317e2fe99f2de44d49ab2b8851ba4a308000000000000';

describe('prevhashToStratum', () => {
  describe('when given the display hash of block 125551', () => {
    it('returns the notify form from the facts', () => {
      expect(prevhashToStratum(DISPLAY)).toBe(STRATUM);
    });

    it('lower-cases upper-case input', () => {
      expect(prevhashToStratum(DISPLAY.toUpperCase())).toBe(STRATUM);
    });
  });

  describe('when the input is not 32 bytes of hex', () => {
    it('throws LodeError(protocol)', () => {
      expect(() => prevhashToStratum('abcd')).toThrow(expect.objectContaining({ kind: 'protocol' }));
      expect(() => prevhashToStratum('zz'.repeat(32))).toThrow(expect.objectContaining({ kind: 'protocol' }));
    });
  });
});

describe('stratumToPrevhashBytes', () => {
  describe('when given the notify form of block 125551', () => {
    it('returns the header bytes from the facts', () => {
      expect(stratumToPrevhashBytes(STRATUM).toString('hex')).toBe(HEADER_BYTES);
    });
  });
});

describe('displayToPrevhashBytes', () => {
  describe('when given the display hash of block 125551', () => {
    it('returns the header bytes from the facts', () => {
      expect(displayToPrevhashBytes(DISPLAY).toString('hex')).toBe(HEADER_BYTES);
    });
  });
});

describe('displayHash', () => {
  describe('when given the header bytes of block 125551', () => {
    it('returns the display hex and leaves its input untouched', () => {
      const bytes = Buffer.from(HEADER_BYTES, 'hex');
      expect(displayHash(bytes)).toBe(DISPLAY);
      expect(bytes.toString('hex')).toBe(HEADER_BYTES);
    });
  });
});
