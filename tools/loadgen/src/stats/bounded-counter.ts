/**
 * Counts by key with at most `maxKeys` distinct keys: once full, new keys
 * count under `overflowKey`. Keeps a run's memory bounded whatever the pool
 * sends (error messages that carry job ids, hashes, ...).
 */
export class BoundedCounter {
  private readonly counts = new Map<string, number>();

  /**
   * @param maxKeys distinct keys kept, >= 1
   * @param overflowKey where the rest count
   */
  constructor(
    private readonly maxKeys = 32,
    private readonly overflowKey = '(other)',
  ) {}

  add(key: string, n = 1): void {
    const k = this.counts.has(key) || this.counts.size < this.maxKeys ? key : this.overflowKey;
    this.counts.set(k, (this.counts.get(k) ?? 0) + n);
  }

  /** the counts, largest first */
  toObject(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort((a, b) => b[1] - a[1]));
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }
}

/**
 * A pool error as a short, bounded key: `"<code> <message>"` with hex runs
 * of 8 or more digits and quoted values replaced by "…", job ids by "job …" and numbers by "N",
 * cut to 80 characters, so that messages naming job ids, hashes and
 * difficulties group together ("23 share difficulty N is below the required N (job …)").
 */
export function errorKey(code: number | undefined, message: string | undefined): string {
  const text = (message ?? '')
    .replace(/\b(0x)?[0-9a-f]{8,}\b/gi, '…')
    .replace(/'[^']{0,80}'/g, "'…'")
    .replace(/\bjob ([0-9a-f]+|[^\s,:;)]*\d[^\s,:;)]*)(?=[\s,:;)]|$)/gi, 'job …')
    .replace(/\b\d+(\.\d+)?(e[-+]?\d+)?\b/gi, 'N')
    .slice(0, 80);
  return `${code === undefined ? '-' : String(code)} ${text}`.trim();
}
