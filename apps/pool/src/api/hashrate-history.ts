import { LodeError, type LodeLogger } from '@lode/stratum-core';
import { RingBuffer } from './ring-buffer';

/** One sample of a coin's pool hashrate (`/api/history/:coin`). */
export interface HistoryPoint {
  /** when it was sampled, ms since epoch */
  time: number;
  /** the pool's estimated hashrate at that moment, H/s (over the source's window) */
  hashrate: number;
  /** workers with a non-zero hashrate at that moment */
  workers: number;
}

/** Options of {@link HashrateHistory}. */
export interface HashrateHistoryOptions {
  /** coin ids to sample */
  coins: readonly string[];
  /** seconds between samples, > 0 (fractions allowed) */
  intervalSeconds: number;
  /** samples kept per coin, integer >= 1; the oldest is dropped first */
  points: number;
  /**
   * reads one coin's hashrate (H/s) and active workers now
   * @throws anything: the sample is skipped and logged
   */
  sample(coin: string): Promise<{ hashrate: number; workers: number }>;
  /** ms since epoch (default Date.now) */
  clock?: () => number;
  logger: LodeLogger;
}

/**
 * The pool hashrate over time, per coin: a bounded ring of samples taken
 * every `intervalSeconds` (e.g. 1440 points at 60 s = 24 h). Memory is
 * `points` samples per coin whatever the uptime. A sample that fails (the
 * accounting's store is down) is skipped and logged, not retried; a tick
 * that finds the previous one still running is skipped.
 */
export class HashrateHistory {
  private readonly rings = new Map<string, RingBuffer<HistoryPoint>>();
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  /** @throws LodeError('config') on intervalSeconds not > 0 or points not an integer >= 1 */
  constructor(private readonly options: HashrateHistoryOptions) {
    if (!(Number.isFinite(options.intervalSeconds) && options.intervalSeconds > 0)) {
      throw new LodeError('config', `history interval is ${options.intervalSeconds} s; it must be a number of seconds > 0`);
    }
    if (!Number.isSafeInteger(options.points) || options.points < 1) {
      throw new LodeError('config', `history size is ${options.points} points; it must be an integer >= 1`);
    }
    for (const coin of options.coins) this.rings.set(coin, new RingBuffer<HistoryPoint>(options.points));
    this.clock = options.clock ?? Date.now;
  }

  /** seconds between samples */
  get intervalSeconds(): number {
    return this.options.intervalSeconds;
  }

  /** samples kept per coin */
  get capacity(): number {
    return this.options.points;
  }

  /** takes a sample now, then one every interval until {@link stop}; resolves after the first */
  start(): Promise<void> {
    if (this.timer === undefined) this.timer = setInterval(() => void this.sampleNow(), this.options.intervalSeconds * 1000).unref();
    return this.sampleNow();
  }

  /** samples every coin once, now (the timer calls it; a call while one runs joins it) */
  sampleNow(): Promise<void> {
    this.running ??= (async () => {
      try {
        await Promise.all([...this.rings].map(([coin, ring]) => this.sampleOne(coin, ring)));
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /**
   * The samples of `coin`, oldest first.
   *
   * @param since only samples taken after this time (ms since epoch)
   * @returns undefined when the coin is not sampled
   */
  points(coin: string, since = Number.NEGATIVE_INFINITY): HistoryPoint[] | undefined {
    return this.rings.get(coin)?.toArray().filter((p) => p.time > since);
  }

  /** stops the timer; the samples stay readable */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sampleOne(coin: string, ring: RingBuffer<HistoryPoint>): Promise<void> {
    const time = this.clock();
    try {
      const { hashrate, workers } = await this.options.sample(coin);
      ring.push({ time, hashrate, workers });
    } catch (e) {
      this.options.logger.warn({ coin, err: (e as Error).message }, 'hashrate sample skipped');
    }
  }
}
