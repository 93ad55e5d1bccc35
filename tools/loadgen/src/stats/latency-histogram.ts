/** Values below this many microseconds each have a bucket of their own (exact). */
const LINEAR = 256;
/** Buckets per power of two above LINEAR: relative error under 1/128 (0.8 %). */
const SUB = 128;
/** Largest value a bucket holds, microseconds (2^31 - 1, about 35 minutes); larger values land in the last bucket. */
const MAX_US = 2 ** 31 - 1;
/** floor(log2(MAX_US)) - 7 = 23 shifts above the linear range. */
const SHIFTS = 31 - 1 - 7;
const BUCKETS = LINEAR + SHIFTS * SUB;

/** Bucket index of a value in whole microseconds, 0 <= us <= MAX_US. */
function indexOf(us: number): number {
  if (us < LINEAR) return us;
  const shift = 31 - Math.clz32(us) - 7;
  return LINEAR + (shift - 1) * SUB + (Math.floor(us / 2 ** shift) - SUB);
}

/** Highest value (microseconds) that lands in bucket `index`. */
function highestOf(index: number): number {
  if (index < LINEAR) return index;
  const k = index - LINEAR;
  const shift = Math.floor(k / SUB) + 1;
  const mantissa = SUB + (k % SUB);
  return (mantissa + 1) * 2 ** shift - 1;
}

/**
 * A latency histogram of fixed size (3,200 buckets, 25.6 KB), whatever the
 * number of samples: bounded memory for any run length (HdrHistogram's
 * log-linear layout with 7 bits of precision).
 *
 * - Values are recorded in milliseconds and kept in whole microseconds.
 * - Below 256 µs every microsecond has its own bucket, so percentiles are
 *   exact there; above, a bucket spans 1/128 of its power of two, so a
 *   percentile is at most 0.8 % above the true sample (never below it).
 * - Values above 2^31 - 1 µs (about 35 minutes) count in the last bucket;
 *   `maxMs` still reports the exact largest value.
 * - Percentiles are nearest-rank: the smallest recorded value with at least
 *   `ceil(p * count)` samples at or below it, reported as the highest value
 *   of its bucket, capped at the exact maximum.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private total = 0;
  private sumUs = 0;
  private minUs = Number.POSITIVE_INFINITY;
  private maxUs = 0;

  /** samples recorded */
  get count(): number {
    return this.total;
  }

  /** the largest sample, ms (NaN when empty) */
  get maxMs(): number {
    return this.total === 0 ? Number.NaN : this.maxUs / 1000;
  }

  /** the smallest sample, ms (NaN when empty) */
  get minMs(): number {
    return this.total === 0 ? Number.NaN : this.minUs / 1000;
  }

  /** arithmetic mean of the samples as recorded (whole µs), ms (NaN when empty) */
  get meanMs(): number {
    return this.total === 0 ? Number.NaN : this.sumUs / this.total / 1000;
  }

  /**
   * Records one sample.
   *
   * @param ms a duration in milliseconds; rounded to whole microseconds,
   *   negative or non-finite values count as 0
   */
  record(ms: number): void {
    const us = Number.isFinite(ms) && ms > 0 ? Math.round(ms * 1000) : 0;
    this.counts[indexOf(Math.min(us, MAX_US))] += 1;
    this.total += 1;
    this.sumUs += us;
    if (us < this.minUs) this.minUs = us;
    if (us > this.maxUs) this.maxUs = us;
  }

  /**
   * The nearest-rank percentile, ms.
   *
   * @param p a fraction in (0, 1]: 0.5 for p50, 0.99 for p99, 0.999 for p999
   * @returns NaN when no sample was recorded
   * @throws RangeError when p is not in (0, 1]
   */
  percentile(p: number): number {
    if (!(p > 0 && p <= 1)) throw new RangeError(`percentile ${p} is not in (0, 1]`);
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.total - 1e-9));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i];
      if (seen >= rank) return Math.min(highestOf(i), this.maxUs) / 1000;
    }
    return this.maxUs / 1000;
  }

  /** Forgets every sample (the buckets stay allocated). */
  reset(): void {
    this.counts.fill(0);
    this.total = 0;
    this.sumUs = 0;
    this.minUs = Number.POSITIVE_INFINITY;
    this.maxUs = 0;
  }
}
