import { Backoff } from './backoff';

describe('Backoff', () => {
  describe('when attempts keep failing', () => {
    it('doubles from 1 s up to 60 s', () => {
      const b = new Backoff();
      expect(Array.from({ length: 9 }, () => b.next())).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    });
  });

  describe('when reset after a successful authorize', () => {
    it('starts again from the initial delay', () => {
      const b = new Backoff({ initialMs: 50, maxMs: 400 });
      b.next();
      b.next();
      b.reset();
      expect(b.next()).toBe(50);
    });
  });
});
