import { LodeError } from '@lode/stratum-core';
import type { DuplicateIndex } from './duplicate-index';

/**
 * The embedded default {@link DuplicateIndex}: per coin, one Set of share
 * keys per block height, in memory (one process only; store-redis provides
 * the cluster-wide one).
 *
 * Bounded twice: at most `keysPerHeight` keys per height (past it the oldest
 * key of that height is forgotten, so a very old share could be credited
 * twice rather than memory growing), and at most `heightsPerCoin` heights per
 * coin (past it the lowest height is dropped). The engine calls
 * `sweepBelow(coin, height - 2)` on every new block, so in practice three
 * heights are kept. Memory is about 100 bytes per key (a ~45-character
 * string in a Set).
 *
 * @example
 * const index = new MemoryDuplicateIndex({ keysPerHeight: 1 << 20 });
 * await index.add('btc', 840000, key); // true the first time, false after
 */
export class MemoryDuplicateIndex implements DuplicateIndex {
  private readonly coins = new Map<string, Map<number, Set<string>>>();
  private readonly keysPerHeight: number;
  private readonly heightsPerCoin: number;

  /**
   * @param options.keysPerHeight keys kept per coin and height, integer >= 1 (default 1048576)
   * @param options.heightsPerCoin heights kept per coin, integer >= 1 (default 8)
   * @throws LodeError('config') if a bound is not an integer >= 1
   */
  constructor(options: { keysPerHeight?: number; heightsPerCoin?: number } = {}) {
    this.keysPerHeight = options.keysPerHeight ?? 1 << 20;
    this.heightsPerCoin = options.heightsPerCoin ?? 8;
    for (const [name, value] of [
      ['keysPerHeight', this.keysPerHeight],
      ['heightsPerCoin', this.heightsPerCoin],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new LodeError('config', `duplicate index ${name} must be an integer >= 1, got ${String(value)}`);
      }
    }
  }

  /** keys kept now, every coin and height */
  get size(): number {
    let total = 0;
    for (const heights of this.coins.values()) for (const keys of heights.values()) total += keys.size;
    return total;
  }

  /** the heights kept for `coin`, ascending */
  heights(coin: string): number[] {
    return [...(this.coins.get(coin)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** Records `key` under (coin, height); true when it was new. Never rejects. */
  async add(coin: string, height: number, key: string): Promise<boolean> {
    let heights = this.coins.get(coin);
    if (heights === undefined) {
      heights = new Map();
      this.coins.set(coin, heights);
    }
    let keys = heights.get(height);
    if (keys === undefined) {
      keys = new Set();
      heights.set(height, keys);
      while (heights.size > this.heightsPerCoin) heights.delete(Math.min(...heights.keys()));
    }
    if (keys.has(key)) return false;
    keys.add(key);
    if (keys.size > this.keysPerHeight) {
      // A Set iterates in insertion order: the first key is the oldest.
      keys.delete(keys.values().next().value as string);
    }
    return true;
  }

  /** Forgets every key of `coin` at heights below `height`. */
  async sweepBelow(coin: string, height: number): Promise<void> {
    const heights = this.coins.get(coin);
    if (heights === undefined) return;
    for (const kept of [...heights.keys()]) if (kept < height) heights.delete(kept);
    if (heights.size === 0) this.coins.delete(coin);
  }
}
