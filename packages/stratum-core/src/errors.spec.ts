import { LodeError } from './errors';

describe('LodeError', () => {
  describe('when checked with is()', () => {
    it('matches its kind and keeps the cause', () => {
      const cause = new Error('econnrefused');
      const e = new LodeError('node', 'bitcoind at 127.0.0.1:18443 refused the connection', { cause });
      expect(LodeError.is(e)).toBe(true);
      expect(LodeError.is(e, 'node')).toBe(true);
      expect(LodeError.is(e, 'share')).toBe(false);
      expect(e.cause).toBe(cause);
      expect(LodeError.is(new Error('x'))).toBe(false);
    });
  });
});
