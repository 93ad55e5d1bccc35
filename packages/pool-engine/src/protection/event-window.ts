/**
 * Detects more than `max` events within a sliding window of `windowMs`: keeps
 * the newest `max + 1` event times only (bounded memory, exact answer).
 */
export class EventWindow {
  private readonly times: number[] = [];

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /**
   * Records one event at `now` (ms).
   *
   * @returns true when this event makes more than `max` events in (now - windowMs, now]
   */
  add(now: number): boolean {
    this.times.push(now);
    if (this.times.length > this.max + 1) this.times.shift();
    return this.times.length > this.max && now - (this.times[0] as number) < this.windowMs;
  }

  /** Events in (now - windowMs, now], at most max + 1. */
  count(now: number): number {
    return this.times.filter((t) => now - t < this.windowMs).length;
  }
}

/** How many slices a {@link ShareWindow} cuts its window into. */
export const SHARE_WINDOW_SLICES = 10;

interface Slice {
  index: number;
  valid: number;
  invalid: number;
}

/**
 * Valid and invalid share counts over a sliding window of `windowMs`, in
 * {@link SHARE_WINDOW_SLICES} slices of windowMs/10 (bounded memory whatever
 * the share rate): a share leaves the window a slice at a time, once its slice
 * is ten slices old. So the counts cover between 0.9 and 1 window of time.
 */
export class ShareWindow {
  private readonly slices: Slice[] = [];
  private readonly sliceMs: number;

  constructor(windowMs: number) {
    this.sliceMs = windowMs / SHARE_WINDOW_SLICES;
  }

  /** Records one share at `now` (ms); returns the counts in the window after it. */
  add(now: number, valid: boolean): { valid: number; invalid: number } {
    const index = Math.floor(now / this.sliceMs);
    this.drop(index);
    let last = this.slices[this.slices.length - 1];
    if (last === undefined || last.index !== index) {
      last = { index, valid: 0, invalid: 0 };
      this.slices.push(last);
    }
    if (valid) last.valid++;
    else last.invalid++;
    return this.counts(now);
  }

  /** The counts of shares still in the window at `now` (ms). */
  counts(now: number): { valid: number; invalid: number } {
    this.drop(Math.floor(now / this.sliceMs));
    let valid = 0;
    let invalid = 0;
    for (const s of this.slices) {
      valid += s.valid;
      invalid += s.invalid;
    }
    return { valid, invalid };
  }

  private drop(current: number): void {
    while (this.slices.length > 0 && (this.slices[0] as Slice).index <= current - SHARE_WINDOW_SLICES) this.slices.shift();
  }
}
