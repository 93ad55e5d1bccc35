import { LodeError } from '@lode/plugin-api';
import { SESSION } from '../testing/warthog-vectors.fixture';
import { isWarthogAddress, parseWarthogAddress } from './parse-warthog-address';

describe('Warthog address', () => {
  describe('when the checksum is right (§6-H: fe5f4093 = SHA-256 of the 20 bytes)', () => {
    it('is accepted, in either case, and returned in lower case', () => {
      expect(isWarthogAddress(SESSION.address)).toBe(true);
      expect(parseWarthogAddress(SESSION.address.toUpperCase())).toBe(SESSION.address);
    });
  });

  describe('when the checksum is wrong', () => {
    it('is refused, with the expected checksum in the message', () => {
      const bad = `${SESSION.address.slice(0, 40)}fe5f4094`;
      expect(isWarthogAddress(bad)).toBe(false);
      expect(() => parseWarthogAddress(bad, 'wart.payoutAddress')).toThrow(
        `wart.payoutAddress ${bad} has the checksum fe5f4094, but SHA-256 of its 20 address bytes starts with fe5f4093`,
      );
    });
  });

  describe('when it is not 48 hex digits', () => {
    it('is refused as a config error', () => {
      expect(isWarthogAddress(SESSION.address.slice(0, 40))).toBe(false);
      expect(isWarthogAddress(42)).toBe(false);
      expect(() => parseWarthogAddress(`${SESSION.address}.rig1`)).toThrow(LodeError);
      expect(() => parseWarthogAddress(undefined, 'wart.payoutAddress')).toThrow(
        'wart.payoutAddress is undefined, expected 48 hex digits (20-byte address + 4-byte checksum)',
      );
    });
  });
});
