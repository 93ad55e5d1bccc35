/** p50 / p99 / mean / min / max of one set of samples, in the samples' unit. */
export interface Summary {
  /** samples */
  count: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * Nearest-rank percentile of values sorted ascending: the smallest value
 * such that at least `p` of the samples are <= it (rank ceil(p * n), 1-based).
 *
 * @param sorted samples, ascending
 * @param p fraction in [0, 1] (0.99 for p99)
 * @returns the sample at that rank; NaN when there are no samples
 * @throws RangeError when p is outside [0, 1]
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`percentile p is ${p}, it must be in [0, 1]`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(n, rank) - 1];
}

/**
 * Summarizes samples (any order; the input is not changed).
 *
 * @returns count, nearest-rank p50 and p99, mean, min, max; every figure NaN
 *   (count 0) when there are no samples
 */
export function summarize(samples: Iterable<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), mean: sum / n, min: sorted[0], max: sorted[n - 1] };
}
