import { LodeError } from '@lode/stratum-core';
import { parseWarthogAddress } from './warthog-address';

// facts/warthog.md §6-H: an address with a valid checksum (fe5f4093 = SHA-256 of the 20 bytes)
const ADDRESS = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';

describe('parseWarthogAddress', () => {
  describe('when the checksum matches', () => {
    it('returns the 20 address bytes, in either case', () => {
      expect(parseWarthogAddress(ADDRESS).toString('hex')).toBe(ADDRESS.slice(0, 40));
      expect(parseWarthogAddress(ADDRESS.toUpperCase()).toString('hex')).toBe(ADDRESS.slice(0, 40));
    });
  });

  describe('when the address is malformed', () => {
    it.each([
      ['a wrong checksum', `${ADDRESS.slice(0, 40)}fe5f4094`, /checksum fe5f4094/],
      ['47 digits', ADDRESS.slice(1), /not 48 hex digits/],
      ['a non-hex digit', `${ADDRESS.slice(0, 47)}g`, /not 48 hex digits/],
    ])('throws a protocol error for %s', (_name, text, message) => {
      expect(() => parseWarthogAddress(text)).toThrow(LodeError);
      expect(() => parseWarthogAddress(text)).toThrow(message);
    });
  });
});
