/** One measured rate. */
export interface HashRate {
  /** what ran, e.g. "native scan, sha-ni, 1 thread" */
  name: string;
  /** hashes done (SHA-256d of an 80-byte header each) */
  hashes: number;
  /** wall time, seconds */
  seconds: number;
  /** hashes per second */
  rate: number;
}

/** Seconds since an arbitrary origin, from the monotonic clock. */
export function now(): number {
  return performance.now() / 1000;
}

/**
 * Calls `step` until `seconds` have passed (at least once), adding up the
 * hashes each call reports, and returns the rate.
 *
 * @param step does some work and returns how many hashes it did
 * @param seconds wall-time budget, > 0
 */
export async function measureRate(
  name: string,
  seconds: number,
  step: () => number | Promise<number>,
): Promise<HashRate> {
  const start = now();
  let hashes = 0;
  let elapsed = 0;
  do {
    hashes += await step();
    elapsed = now() - start;
  } while (elapsed < seconds);
  return { name, hashes, seconds: elapsed, rate: hashes / elapsed };
}
