import { LodeError } from '@lode/stratum-core';
import { MemoryDuplicateIndex } from './memory-duplicate-index';

describe('MemoryDuplicateIndex', () => {
  describe('when a key is added twice', () => {
    it('says new the first time only, per coin and height', async () => {
      const index = new MemoryDuplicateIndex();
      expect(await index.add('btc', 100, 'k')).toBe(true);
      expect(await index.add('btc', 100, 'k')).toBe(false);
      expect(await index.add('btc', 101, 'k')).toBe(true);
      expect(await index.add('ltc', 100, 'k')).toBe(true);
      expect(index.size).toBe(3);
    });
  });

  describe('when swept below a height', () => {
    it('forgets the keys of lower heights of that coin only', async () => {
      const index = new MemoryDuplicateIndex();
      for (const height of [98, 99, 100, 101]) await index.add('btc', height, 'k');
      await index.add('ltc', 98, 'k');
      await index.sweepBelow('btc', 100);
      expect(index.heights('btc')).toEqual([100, 101]);
      expect(index.heights('ltc')).toEqual([98]);
      expect(await index.add('btc', 99, 'k')).toBe(true);
      expect(await index.add('btc', 100, 'k')).toBe(false);
      await index.sweepBelow('doge', 5);
    });
  });

  describe('when a height holds more keys than its bound', () => {
    it('forgets the oldest key of that height', async () => {
      const index = new MemoryDuplicateIndex({ keysPerHeight: 2 });
      await index.add('btc', 1, 'a');
      await index.add('btc', 1, 'b');
      await index.add('btc', 1, 'c');
      expect(index.size).toBe(2);
      expect(await index.add('btc', 1, 'a')).toBe(true);
      expect(await index.add('btc', 1, 'c')).toBe(false);
    });
  });

  describe('when a full height keeps getting keys, old ones coming back', () => {
    it('forgets exactly what a Set dropping its first key would, through many wraps of the bound', async () => {
      // the reference: the bound as documented, a Set in insertion order losing its first key
      const reference = new Set<string>();
      const index = new MemoryDuplicateIndex({ keysPerHeight: 5 });
      let x = 7;
      for (let i = 0; i < 2000; i++) {
        x = (x * 1103515245 + 12345) % 2147483648;
        const key = `k${x % 12}`;
        const fresh = !reference.has(key);
        if (fresh) {
          reference.add(key);
          if (reference.size > 5) reference.delete(reference.values().next().value as string);
        }
        expect(await index.add('btc', 1, key)).toBe(fresh);
      }
      expect(index.size).toBe(5);
    });

    it('answers every call with a settled promise of the same two values', async () => {
      const index = new MemoryDuplicateIndex({ keysPerHeight: 1 });
      const first = index.add('btc', 1, 'a');
      const again = index.add('btc', 1, 'a');
      const other = index.add('btc', 1, 'b');
      expect(await Promise.all([first, again, other])).toEqual([true, false, true]);
      expect(await index.add('btc', 1, 'a')).toBe(true);
    });
  });

  describe('when a coin gets more heights than its bound (no sweep)', () => {
    it('drops the lowest height', async () => {
      const index = new MemoryDuplicateIndex({ heightsPerCoin: 2 });
      await index.add('btc', 5, 'k');
      await index.add('btc', 7, 'k');
      await index.add('btc', 6, 'k');
      expect(index.heights('btc')).toEqual([6, 7]);
    });
  });

  describe('when built with a bound below 1', () => {
    it('throws a config error naming it', () => {
      expect(() => new MemoryDuplicateIndex({ keysPerHeight: 0 })).toThrow(LodeError);
      expect(() => new MemoryDuplicateIndex({ heightsPerCoin: 1.5 })).toThrow(
        'duplicate index heightsPerCoin must be an integer >= 1, got 1.5',
      );
    });
  });
});
