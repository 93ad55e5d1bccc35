import { LodeError } from '@lode/stratum-core';
import { Extranonce2Counter } from './extranonce2-counter';

const hex = (b: Buffer): string => b.toString('hex');

describe('Extranonce2Counter', () => {
  describe('when the size is 4 bytes', () => {
    it('counts big-endian from zero', () => {
      const c = new Extranonce2Counter(4);
      expect([hex(c.next()), hex(c.next()), hex(c.next())]).toEqual(['00000000', '00000001', '00000002']);
    });

    it('carries into the next byte', () => {
      const c = new Extranonce2Counter(4, 0xffn);
      expect([hex(c.next()), hex(c.next())]).toEqual(['000000ff', '00000100']);
    });

    it('wraps from ffffffff to 00000000 and counts the wrap', () => {
      const c = new Extranonce2Counter(4, 0xfffffffen);
      expect([hex(c.next()), hex(c.next()), hex(c.next())]).toEqual(['fffffffe', 'ffffffff', '00000000']);
      expect(c.wrapCount).toBe(1);
    });
  });

  describe('when the size is 8 bytes', () => {
    it('counts past 2^32 without losing precision', () => {
      const c = new Extranonce2Counter(8, 0xffffffffn);
      expect([hex(c.next()), hex(c.next())]).toEqual(['00000000ffffffff', '0000000100000000']);
    });

    it('wraps from ffffffffffffffff to zero', () => {
      const c = new Extranonce2Counter(8, 0xffffffffffffffffn);
      expect([hex(c.next()), hex(c.next())]).toEqual(['ffffffffffffffff', '0000000000000000']);
      expect(c.wrapCount).toBe(1);
    });
  });

  describe('when the size is 0 bytes', () => {
    it('gives the empty value every time', () => {
      const c = new Extranonce2Counter(0);
      expect([c.next().length, c.next().length]).toEqual([0, 0]);
      expect(c.wrapCount).toBe(2);
    });
  });

  describe('when the size or start is out of range', () => {
    it('throws a protocol LodeError naming the value', () => {
      expect(() => new Extranonce2Counter(33)).toThrow('extranonce2 size must be an integer of 0..32 bytes, got 33');
      expect(() => new Extranonce2Counter(1.5)).toThrow(LodeError);
      expect(() => new Extranonce2Counter(1, 256n)).toThrow('extranonce2 start 256 does not fit 1 bytes');
    });
  });
});
