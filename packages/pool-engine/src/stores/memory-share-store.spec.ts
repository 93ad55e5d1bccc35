import { LodeError } from '@lode/stratum-core';
import { MemoryShareStore } from './memory-share-store';
import type { ShareRecord } from './share-record';

function share(n: number): ShareRecord {
  return {
    id: `i1:${n}`,
    instance: 'i1',
    coin: 'fake',
    worker: 'w',
    jobId: n.toString(16),
    height: 1,
    difficulty: n,
    shareDifficulty: n,
    networkDifficulty: 1000,
    verdict: 'accepted',
    remoteAddress: '127.0.0.1:1',
    time: n,
  };
}

describe('MemoryShareStore', () => {
  describe('when fewer records than its capacity were recorded', () => {
    it('returns the last n in the order they were recorded', async () => {
      const store = new MemoryShareStore({ capacity: 5 });
      for (let i = 1; i <= 3; i++) await store.record(share(i));
      expect(store.recent(2).map((r) => r.time)).toEqual([2, 3]);
      expect(store.recent(10).map((r) => r.time)).toEqual([1, 2, 3]);
      expect(store.recent(0)).toEqual([]);
    });
  });

  describe('when more records than its capacity were recorded', () => {
    it('keeps only the newest, capacity of them', async () => {
      const store = new MemoryShareStore({ capacity: 3 });
      for (let i = 1; i <= 7; i++) await store.record(share(i));
      expect(store.size).toBe(3);
      expect(store.recent(10).map((r) => r.time)).toEqual([5, 6, 7]);
    });
  });

  describe('when built with a capacity below 1', () => {
    it('throws a config error', () => {
      expect(() => new MemoryShareStore({ capacity: 0 })).toThrow(LodeError);
      expect(() => new MemoryShareStore({ capacity: 0 })).toThrow('capacity must be an integer >= 1, got 0');
    });
  });

  describe('when built without options', () => {
    it('keeps 10000 records', async () => {
      const store = new MemoryShareStore();
      for (let i = 1; i <= 10001; i++) await store.record(share(i));
      expect(store.size).toBe(10000);
      expect(store.recent(1)[0].time).toBe(10001);
    });
  });
});
