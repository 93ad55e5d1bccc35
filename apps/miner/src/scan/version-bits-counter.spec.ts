import { LodeError } from '@lode/stratum-core';
import { VersionBitsCounter } from './version-bits-counter';

const hex = (n: number): string => n.toString(16).padStart(8, '0');

describe('VersionBitsCounter', () => {
  describe('when the mask is BIP 320\'s 1fffe000 (field-notes.md §3(c))', () => {
    it('enumerates exactly 2^16 distinct values inside the mask, from 00002000, with 0 last', () => {
      const mask = 0x1fffe000;
      const c = new VersionBitsCounter(mask);
      expect(c.cycleLength).toBe(65536);
      const seen = new Set<number>();
      const values: number[] = [];
      for (let i = 0; i < 65536; i++) {
        const v = c.next();
        values.push(v);
        seen.add(v);
      }
      expect(hex(values[0]!)).toBe('00002000');
      expect(hex(values[1]!)).toBe('00004000');
      expect(hex(values[2]!)).toBe('00006000');
      expect(hex(values[65534]!)).toBe('1fffe000');
      expect(values[65535]).toBe(0);
      expect(seen.size).toBe(65536);
      expect(values.filter((v) => (v & ~mask) !== 0)).toEqual([]);
      expect(values.slice(0, 65535).includes(0)).toBe(false);
    });

    it('starts over at the first non-zero value after 0', () => {
      const c = new VersionBitsCounter(0x1fffe000);
      for (let i = 0; i < 65536; i++) c.next();
      expect(hex(c.next())).toBe('00002000');
    });
  });

  describe('when the mask is bmminer\'s 00c00000 (two bits)', () => {
    it('gives 00400000, 00800000, 00c00000, then 0, then starts over', () => {
      const c = new VersionBitsCounter(0x00c00000);
      expect(c.cycleLength).toBe(4);
      expect([c.next(), c.next(), c.next(), c.next(), c.next()].map(hex)).toEqual([
        '00400000',
        '00800000',
        '00c00000',
        '00000000',
        '00400000',
      ]);
    });
  });

  describe('when the mask has the top bit and scattered bits', () => {
    it('carries over the gaps and stays a uint32', () => {
      const c = new VersionBitsCounter(0x80000001);
      expect([c.next(), c.next(), c.next(), c.next()].map(hex)).toEqual(['00000001', '80000000', '80000001', '00000000']);
    });

    it('counts every value of a full mask (ffffffff) from 1', () => {
      const c = new VersionBitsCounter(0xffffffff);
      expect(c.cycleLength).toBe(2 ** 32);
      expect([c.next(), c.next(), c.next()]).toEqual([1, 2, 3]);
    });
  });

  describe('when the mask is 0', () => {
    it('gives 0 every time, one value per cycle', () => {
      const c = new VersionBitsCounter(0);
      expect(c.cycleLength).toBe(1);
      expect([c.next(), c.next()]).toEqual([0, 0]);
    });
  });

  describe('when the mask is not a uint32', () => {
    it('throws a protocol LodeError naming the value', () => {
      expect(() => new VersionBitsCounter(2 ** 32)).toThrow('version mask must be a uint32, got 4294967296');
      expect(() => new VersionBitsCounter(-1)).toThrow(LodeError);
    });
  });
});
