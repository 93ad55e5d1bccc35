import { LodeError } from '@lode/stratum-core';

/**
 * Parked `getblocktemplate` long polls. Each waiter is released by
 * {@link release} (new tip or mempool refresh), by its timeout, by its
 * `signal` (the client went away), or by {@link close}. The number of
 * waiters is capped.
 */
export class LongPollWaiters {
  private readonly waiters = new Set<() => void>();

  /** @param cap most requests parked at once */
  constructor(private readonly cap: number) {}

  /** How many requests are parked. */
  get size(): number {
    return this.waiters.size;
  }

  /**
   * Parks until released, `timeoutMs` elapses or `signal` aborts; resolves
   * in every case.
   *
   * @throws LodeError('node', code -1) at once when `cap` requests are already parked
   */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.waiters.size >= this.cap) {
      return Promise.reject(new LodeError('node', `${this.waiters.size} long polls are already waiting, the cap is ${this.cap}`, { code: -1 }));
    }
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done);
      this.waiters.add(done);
    });
  }

  /** Releases every parked request. */
  release(): void {
    for (const done of [...this.waiters]) done();
  }

  /** Releases every parked request (the node is stopping). */
  close(): void {
    this.release();
  }
}
