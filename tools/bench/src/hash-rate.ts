/** One measured rate. */
export interface HashRate {
  /** what ran, e.g. "native scan, sha-ni, 1 thread" */
  name: string;
  /** hashes done (SHA-256d of an 80-byte header each) */
  hashes: number;
  /** wall time spent in this row's steps, seconds */
  seconds: number;
  /** hashes per second over all of this row's steps */
  rate: number;
  /** hashes per second of this row's fastest step (the least disturbed sample) */
  bestRate: number;
}

/** A thing to measure: each call does some work (a few tens of ms) and says how many hashes. */
export interface RateStep {
  name: string;
  step: () => number | Promise<number>;
}

/** Seconds since an arbitrary origin, from the monotonic clock. */
export function now(): number {
  return performance.now() / 1000;
}

/**
 * Measures several rates interleaved: round after round, each row runs one
 * step, until every row has had about `seconds` of wall time. Interleaving
 * makes whatever else shares the CPU hit every row alike, so the ratios of
 * the mean rates hold even on a busy machine.
 *
 * @param seconds wall-time budget per row, > 0
 * @returns one HashRate per row, in the order given
 */
export async function measureRates(rows: RateStep[], seconds: number): Promise<HashRate[]> {
  const acc = rows.map((row) => ({ name: row.name, hashes: 0, seconds: 0, bestRate: 0 }));
  while (acc.some((row) => row.seconds < seconds)) {
    for (let i = 0; i < rows.length; i++) {
      const before = now();
      const done = await rows[i].step();
      const took = now() - before;
      acc[i].hashes += done;
      acc[i].seconds += took;
      if (took > 0) acc[i].bestRate = Math.max(acc[i].bestRate, done / took);
    }
  }
  return acc.map((row) => {
    const rate = row.seconds > 0 ? row.hashes / row.seconds : 0;
    return { ...row, rate, bestRate: row.bestRate || rate };
  });
}
