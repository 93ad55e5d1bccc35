/** Reconnect delays, in ms. */
export interface BackoffOptions {
  /** first delay; default 1000 */
  initialMs?: number;
  /** largest delay; default 60000 */
  maxMs?: number;
}

/**
 * Exponential reconnect backoff: initialMs, doubling on every failed
 * attempt, capped at maxMs (default 1 s, 2 s, 4 s, … 60 s, 60 s); `reset()`
 * after a successful authorize starts again from initialMs.
 */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private nextMs: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 1000;
    this.maxMs = Math.max(options.maxMs ?? 60_000, this.initialMs);
    this.nextMs = this.initialMs;
  }

  /** The delay before the next attempt, in ms; the one after it doubles. */
  next(): number {
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return delay;
  }

  /** Starts again from the initial delay. */
  reset(): void {
    this.nextMs = this.initialMs;
  }
}
