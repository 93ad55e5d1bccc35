/**
 * Credited difficulty summed over a sliding window, in fixed time buckets so
 * that memory is bounded whatever the share rate. Internal to the stats.
 */
export class HashrateWindow {
  private readonly sums: number[];
  private readonly indexes: number[];

  /**
   * @param bucketMs width of one bucket, ms
   * @param buckets number of buckets; the window is bucketMs * buckets
   */
  constructor(
    private readonly bucketMs: number,
    buckets: number,
  ) {
    this.sums = new Array<number>(buckets).fill(0);
    this.indexes = new Array<number>(buckets).fill(-1);
  }

  /** adds `difficulty` at `time` (ms since epoch) */
  add(time: number, difficulty: number): void {
    const index = Math.floor(time / this.bucketMs);
    const slot = index % this.sums.length;
    // A slot last used a whole window ago holds stale sums: start it afresh.
    if (this.indexes[slot] !== index) {
      this.indexes[slot] = index;
      this.sums[slot] = 0;
    }
    this.sums[slot] += difficulty;
  }

  /** sum of the difficulty added within the window that ends at `now` (ms) */
  sum(now: number): number {
    const newest = Math.floor(now / this.bucketMs);
    const oldest = newest - this.sums.length + 1;
    let total = 0;
    for (let slot = 0; slot < this.sums.length; slot++) {
      const index = this.indexes[slot];
      if (index >= oldest && index <= newest) total += this.sums[slot];
    }
    return total;
  }
}
