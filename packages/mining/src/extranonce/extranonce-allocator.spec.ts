import { LodeError } from '@lode/stratum-core';
import { ExtranonceAllocator } from './extranonce-allocator';

const hex = (b: Buffer): string => b.toString('hex');

describe('ExtranonceAllocator', () => {
  describe('when allocating from a fixed start', () => {
    it('hands out consecutive values, big-endian, after the prefix', () => {
      const allocator = new ExtranonceAllocator({ size: 4, prefix: Buffer.from([0xab]), start: 0xfffffen });
      expect([allocator.allocate(), allocator.allocate(), allocator.allocate()].map(hex)).toEqual([
        'abfffffe',
        'abffffff',
        'ab000000',
      ]);
      expect(allocator.inUse).toBe(3);
      expect(allocator.capacity).toBe(2n ** 24n);
    });

    it('skips values still in use after wrapping around', () => {
      const allocator = new ExtranonceAllocator({ size: 1, start: 254n });
      const first = allocator.allocate(); // fe
      allocator.allocate(); // ff
      allocator.claim(Buffer.from([0x00]));
      expect(hex(first)).toBe('fe');
      expect(hex(allocator.allocate())).toBe('01');
    });
  });

  describe('when the space is full', () => {
    it('never repeats a value in use and throws once all are taken', () => {
      const allocator = new ExtranonceAllocator({ size: 1 });
      const seen = new Set<string>();
      for (let i = 0; i < 256; i++) seen.add(hex(allocator.allocate()));
      expect(seen.size).toBe(256);
      expect(() => allocator.allocate()).toThrow('extranonce1 space of 256 values exhausted');
      try {
        allocator.allocate();
      } catch (e) {
        expect(LodeError.is(e, 'protocol')).toBe(true);
      }
    });

    it('hands out a released value again', () => {
      const allocator = new ExtranonceAllocator({ size: 1 });
      for (let i = 0; i < 256; i++) allocator.allocate();
      allocator.release(Buffer.from([0x42]));
      expect(allocator.inUse).toBe(255);
      expect(hex(allocator.allocate())).toBe('42');
    });

    it('has one value when the prefix fills the size', () => {
      const allocator = new ExtranonceAllocator({ size: 2, prefix: Buffer.from([1, 2]) });
      expect(allocator.capacity).toBe(1n);
      expect(hex(allocator.allocate())).toBe('0102');
      expect(() => allocator.allocate()).toThrow('extranonce1 space of 1 values exhausted');
    });
  });

  describe('when a session resumes', () => {
    it('claims a free value and refuses one in use', () => {
      const allocator = new ExtranonceAllocator({ size: 4, prefix: Buffer.from([0x07]) });
      expect(allocator.claim(Buffer.from('07000010', 'hex'))).toBe(true);
      expect(allocator.claim(Buffer.from('07000010', 'hex'))).toBe(false);
      allocator.release(Buffer.from('07000010', 'hex'));
      expect(allocator.claim(Buffer.from('07000010', 'hex'))).toBe(true);
    });

    it('refuses a value of another instance or of the wrong length', () => {
      const allocator = new ExtranonceAllocator({ size: 4, prefix: Buffer.from([0x07]) });
      expect(allocator.claim(Buffer.from('08000010', 'hex'))).toBe(false);
      expect(allocator.claim(Buffer.from('070010', 'hex'))).toBe(false);
      expect(allocator.inUse).toBe(0);
    });

    it('never hands out a claimed value', () => {
      const allocator = new ExtranonceAllocator({ size: 2, start: 5n });
      allocator.claim(Buffer.from('0005', 'hex'));
      allocator.claim(Buffer.from('0006', 'hex'));
      expect(hex(allocator.allocate())).toBe('0007');
    });
  });

  describe('when releasing a value that is not held', () => {
    it('does nothing', () => {
      const allocator = new ExtranonceAllocator({ size: 2 });
      const value = allocator.allocate();
      allocator.release(Buffer.from('ff', 'hex'));
      allocator.release(Buffer.from('ffffff', 'hex'));
      expect(allocator.inUse).toBe(1);
      allocator.release(value);
      allocator.release(value);
      expect(allocator.inUse).toBe(0);
    });
  });

  describe('when the size is 8 bytes', () => {
    it('covers 2^64 values from a random start', () => {
      const allocator = new ExtranonceAllocator({ size: 8 });
      expect(allocator.capacity).toBe(2n ** 64n);
      const a = allocator.allocate();
      const b = allocator.allocate();
      expect(a.length).toBe(8);
      expect((a.readBigUInt64BE() + 1n) % 2n ** 64n).toBe(b.readBigUInt64BE());
    });
  });

  describe('when the options are invalid', () => {
    it.each([[0], [9], [1.5]])('throws a config error for size %p', (size) => {
      expect(() => new ExtranonceAllocator({ size })).toThrow(LodeError);
    });

    it('throws when the prefix is longer than the size', () => {
      expect(() => new ExtranonceAllocator({ size: 2, prefix: Buffer.from([1, 2, 3]) })).toThrow(
        'extranonce1 prefix is 3 bytes, longer than the size of 2',
      );
    });

    it('throws when start is outside the space', () => {
      expect(() => new ExtranonceAllocator({ size: 1, start: 256n })).toThrow('extranonce1 start must be in [0, 256)');
    });
  });
});
