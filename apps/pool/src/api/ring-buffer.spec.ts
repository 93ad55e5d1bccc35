import { RingBuffer } from './ring-buffer';

describe('RingBuffer', () => {
  describe('when fewer items than its capacity are pushed', () => {
    it('holds them all, oldest first', () => {
      const ring = new RingBuffer<number>(3);
      ring.push(1);
      ring.push(2);
      expect(ring.toArray()).toEqual([1, 2]);
      expect(ring.size).toBe(2);
    });
  });

  describe('when more items than its capacity are pushed', () => {
    it('keeps the last `capacity`, oldest first', () => {
      const ring = new RingBuffer<number>(3);
      for (let i = 1; i <= 7; i++) ring.push(i);
      expect(ring.toArray()).toEqual([5, 6, 7]);
      expect(ring.size).toBe(3);
    });
  });

  describe('when built with a capacity below 1 or not whole', () => {
    it('throws a RangeError naming the value', () => {
      expect(() => new RingBuffer(0)).toThrow('ring buffer capacity is 0; it must be an integer >= 1');
      expect(() => new RingBuffer(2.5)).toThrow(RangeError);
    });
  });
});
