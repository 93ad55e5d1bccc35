import { MemorySessionStore } from './memory-session-store';

describe('MemorySessionStore', () => {
  let now = 1_000;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000;
  });

  describe('when a saved session is taken within its window', () => {
    it('returns it once', async () => {
      const store = new MemorySessionStore({ now: clock });
      await store.save('0011223344556677', { extranonce1: 'aabbccdd', expiresAt: 2_000 });
      expect(await store.take('0011223344556677')).toEqual({ extranonce1: 'aabbccdd', expiresAt: 2_000 });
      expect(await store.take('0011223344556677')).toBeUndefined();
    });
  });

  describe('when the window has ended', () => {
    it('returns nothing', async () => {
      const store = new MemorySessionStore({ now: clock });
      await store.save('a', { extranonce1: '01', expiresAt: 2_000 });
      now = 2_000;
      expect(await store.take('a')).toBeUndefined();
    });

    it('sweeps expired records on the next save', async () => {
      const store = new MemorySessionStore({ now: clock });
      await store.save('a', { extranonce1: '01', expiresAt: 1_500 });
      await store.save('b', { extranonce1: '02', expiresAt: 1_600 });
      now = 1_550;
      await store.save('c', { extranonce1: '03', expiresAt: 2_550 });
      expect(store.size).toBe(2);
    });
  });

  describe('when more sessions are saved than its capacity', () => {
    it('drops the one saved longest ago', async () => {
      const store = new MemorySessionStore({ capacity: 2, now: clock });
      await store.save('a', { extranonce1: '01', expiresAt: 9_000 });
      await store.save('b', { extranonce1: '02', expiresAt: 9_000 });
      await store.save('c', { extranonce1: '03', expiresAt: 9_000 });
      expect(await store.take('a')).toBeUndefined();
      expect(await store.take('b')).toEqual({ extranonce1: '02', expiresAt: 9_000 });
      expect(await store.take('c')).toEqual({ extranonce1: '03', expiresAt: 9_000 });
    });
  });
});
