import { LongPollWaiters } from './long-poll';

describe('LongPollWaiters', () => {
  describe('when released', () => {
    it('resolves every parked waiter', async () => {
      const waiters = new LongPollWaiters(4);
      const parked = [waiters.wait(60_000), waiters.wait(60_000)];
      expect(waiters.size).toBe(2);
      waiters.release();
      await Promise.all(parked);
      expect(waiters.size).toBe(0);
    });
  });

  describe('when the cap is reached', () => {
    it('refuses the next waiter with RPC code -1', async () => {
      const waiters = new LongPollWaiters(1);
      const parked = waiters.wait(60_000);
      await expect(waiters.wait(60_000)).rejects.toMatchObject({ code: -1 });
      waiters.close();
      await parked;
    });
  });

  describe('when the signal aborts', () => {
    it('resolves that waiter only', async () => {
      const waiters = new LongPollWaiters(4);
      const controller = new AbortController();
      const aborted = waiters.wait(60_000, controller.signal);
      const other = waiters.wait(60_000);
      controller.abort();
      await aborted;
      expect(waiters.size).toBe(1);
      waiters.close();
      await other;
    });
  });
});
