/** How many recent block timestamps the median rule looks at (upstream MEDIAN_N). */
export const MEDIAN_N = 50;

/** How far a block's timestamp may run ahead of the node's clock, and how far below the largest seen it may drop: 10 minutes. */
export const TIMESTAMP_TOLERANCE_SECONDS = 600;

/** Why a timestamp fails {@link TimestampWindow.check}. */
export type TimestampVerdict = 'ok' | 'median' | 'drop' | 'future';

/**
 * The timestamps of the last {@link MEDIAN_N} blocks and the rules a new
 * block's timestamp t must meet (upstream TimestampValidator and
 * HeaderVerifier::prepare_append):
 *
 * - median: t >= more than half of the last 50 timestamps;
 * - drop: t + 600 >= the largest timestamp seen;
 * - future: t <= now + 600.
 *
 * (The rule "t > the last retarget time" has no counterpart: the devnet
 * never retargets.) Holds 50 numbers, whatever the chain's length.
 *
 * @see facts/warthog.md §4.4 (NODE src/node/block/header/timestamprule.hpp)
 */
export class TimestampWindow {
  private readonly ring: number[];
  private pos = 0;
  private max: number;

  /** @param history the timestamps of the blocks before the first one to come, oldest first (the last 50 count) */
  constructor(history: readonly number[]) {
    const last = history.slice(-MEDIAN_N);
    // fewer than 50 blocks: the rest count as 0, as upstream's zero-filled window
    this.ring = [...new Array<number>(MEDIAN_N - last.length).fill(0), ...last];
    this.max = Math.max(0, ...last);
  }

  /** Judges a new block's timestamp t (seconds) at the node's time `now` (seconds). */
  check(t: number, now: number): TimestampVerdict {
    if (t === 0) return 'median';
    if (t + TIMESTAMP_TOLERANCE_SECONDS < this.max) return 'drop';
    if (this.ring.filter((x) => t >= x).length <= MEDIAN_N / 2) return 'median';
    if (t > now + TIMESTAMP_TOLERANCE_SECONDS) return 'future';
    return 'ok';
  }

  /** The smallest timestamp that meets the median and drop rules. */
  minimum(): number {
    const sorted = [...this.ring].sort((a, b) => a - b);
    return Math.max(1, sorted[MEDIAN_N / 2], this.max - TIMESTAMP_TOLERANCE_SECONDS);
  }

  /** Records an accepted block's timestamp. */
  append(t: number): void {
    this.ring[this.pos] = t;
    this.pos = (this.pos + 1) % MEDIAN_N;
    this.max = Math.max(this.max, t);
  }
}
