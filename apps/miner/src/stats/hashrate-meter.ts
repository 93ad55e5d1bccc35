/** Weight of the newest chunk in the smoothed scan rate (exponential moving average). */
const SCAN_RATE_WEIGHT = 0.3;

/**
 * Counts hashes as scan chunks finish, and turns them into rates:
 *
 * - `scanRate`: hashes per second while scanning (a smoothed per-chunk
 *   rate, used to size the next chunk); undefined before the first chunk;
 * - `takeWindow(now)`: hashes per second of wall-clock time since the
 *   previous call (what the stats line prints: idle time counts as zero).
 *
 * Times are in ms (performance.now() or Date.now(), used consistently).
 */
export class HashrateMeter {
  private total = 0;
  private windowHashes = 0;
  private windowStart: number;
  private smoothed: number | undefined;

  constructor(now: number) {
    this.windowStart = now;
  }

  /** Hashes counted since construction. */
  get totalHashes(): number {
    return this.total;
  }

  /** Smoothed hashes per second while scanning; undefined before the first chunk. */
  get scanRate(): number | undefined {
    return this.smoothed;
  }

  /**
   * Records a finished chunk.
   *
   * @param hashes hashes the scan reported
   * @param elapsedMs wall time the scan call took, in ms
   */
  record(hashes: number, elapsedMs: number): void {
    this.total += hashes;
    this.windowHashes += hashes;
    if (elapsedMs <= 0 || hashes <= 0) return;
    const rate = (hashes * 1000) / elapsedMs;
    this.smoothed = this.smoothed === undefined ? rate : this.smoothed + SCAN_RATE_WEIGHT * (rate - this.smoothed);
  }

  /** Hashes per second since the previous call (or construction), then starts a new window at `now`. */
  takeWindow(now: number): number {
    const elapsed = now - this.windowStart;
    const rate = elapsed > 0 ? (this.windowHashes * 1000) / elapsed : 0;
    this.windowHashes = 0;
    this.windowStart = now;
    return rate;
  }
}
