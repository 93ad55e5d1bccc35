import { LodeError } from '@lode/stratum-core';
import type { DuplicateIndex } from './duplicate-index';

/** The keys of one coin and height. */
interface HeightKeys {
  readonly keys: Set<string>;
  /**
   * The same keys in the order they came (a ring once `keysPerHeight` are
   * held; `oldest` is the next to forget): forgetting the oldest key is one
   * array read, where asking the Set for its first key walks every key
   * deleted before it (a quadratic slowdown once a height is full).
   */
  readonly order: string[];
  oldest: number;
}

/** add's answers: settled once, shared by every call (no promise per share). */
const NEW: Promise<boolean> = Promise.resolve(true);
const SEEN: Promise<boolean> = Promise.resolve(false);

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
 * heights are kept. Memory is about 110 bytes per key (a ~45-character
 * string in a Set, and its slot in the order the keys came).
 *
 * @example
 * const index = new MemoryDuplicateIndex({ keysPerHeight: 1 << 20 });
 * await index.add('btc', 840000, key); // true the first time, false after
 */
export class MemoryDuplicateIndex implements DuplicateIndex {
  private readonly coins = new Map<string, Map<number, HeightKeys>>();
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
    for (const heights of this.coins.values()) for (const { keys } of heights.values()) total += keys.size;
    return total;
  }

  /** the heights kept for `coin`, ascending */
  heights(coin: string): number[] {
    return [...(this.coins.get(coin)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /**
   * Records `key` under (coin, height); true when it was new. Never rejects
   * (the answer is an already settled promise).
   */
  add(coin: string, height: number, key: string): Promise<boolean> {
    let heights = this.coins.get(coin);
    if (heights === undefined) {
      heights = new Map();
      this.coins.set(coin, heights);
    }
    let entry = heights.get(height);
    if (entry === undefined) {
      entry = { keys: new Set(), order: [], oldest: 0 };
      heights.set(height, entry);
      while (heights.size > this.heightsPerCoin) heights.delete(Math.min(...heights.keys()));
    }
    const { keys, order } = entry;
    const before = keys.size;
    keys.add(key);
    if (keys.size === before) return SEEN;
    if (order.length < this.keysPerHeight) {
      order.push(key);
    } else {
      // full: forget the oldest key of this height, its slot takes the new one
      keys.delete(order[entry.oldest] as string);
      order[entry.oldest] = key;
      entry.oldest = entry.oldest + 1 === this.keysPerHeight ? 0 : entry.oldest + 1;
    }
    return NEW;
  }

  /** Forgets every key of `coin` at heights below `height`. */
  async sweepBelow(coin: string, height: number): Promise<void> {
    const heights = this.coins.get(coin);
    if (heights === undefined) return;
    for (const kept of [...heights.keys()]) if (kept < height) heights.delete(kept);
    if (heights.size === 0) this.coins.delete(coin);
  }
}
