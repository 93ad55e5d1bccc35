import { LodeError } from '@lode/stratum-core';
import { suffixBytes } from './subdivision';

/*
 * ckproxy's enonce1varlen (facts/field-notes.md §1.2 "Proxy extranonce
 * subdivision": 4 bytes if nonce2len > 7, 2 if > 5, 1 if > 3), then the
 * miner keeps at least 4 and at most 8 bytes (field-notes "Proxy app":
 * cap at 8 for WhatsMiner; janusminer needs 4, facts/warthog.md §7).
 */
describe('suffixBytes', () => {
  describe('when the upstream is a bitcoin pool', () => {
    it.each([
      // N2, suffix, miner extranonce2
      [0, 0, 0],
      [2, 0, 2],
      [3, 0, 3],
      [4, 0, 4], // ckpool would take 1 and leave 3: the miner keeps 4
      [5, 1, 4],
      [6, 2, 4],
      [7, 2, 5],
      [8, 4, 4],
      [9, 4, 5],
      [10, 4, 6],
      [12, 4, 8],
      [13, 5, 8], // never more than 8 for the miner
      [16, 8, 8],
      [32, 24, 8],
    ])('upstream extranonce2 of %i bytes gives a %i-byte suffix (miner rolls %i)', (n2, suffix, miner) => {
      expect(suffixBytes(n2, 'bitcoin')).toBe(suffix);
      expect(n2 - suffixBytes(n2, 'bitcoin')).toBe(miner);
    });
  });

  describe('when the upstream is a warthog pool', () => {
    it('splits extranonce1 4 + extranonce2 6 into a 2-byte suffix and 4 bytes for janusminer', () => {
      expect(suffixBytes(6, 'warthog')).toBe(2);
    });
  });

  describe('when the upstream is an EthereumStratum/2.0.0 pool', () => {
    it('leaves the miner 4 nonce bytes after a 2-byte extranonce (6 bytes of nonce: suffix 2)', () => {
      expect(suffixBytes(6, 'ethstratum')).toBe(2);
      // a 3-byte upstream extranonce leaves 5: suffix 1
      expect(suffixBytes(5, 'ethstratum')).toBe(1);
    });
  });

  describe('when the size is not an integer from 0 to 32', () => {
    it('throws LodeError(protocol) naming it', () => {
      for (const bad of [-1, 33, 4.5, Number.NaN]) {
        expect(() => suffixBytes(bad, 'bitcoin')).toThrow(LodeError);
      }
      expect(() => suffixBytes(33, 'bitcoin')).toThrow('upstream extranonce2 size 33 is not an integer from 0 to 32 bytes');
    });
  });
});
