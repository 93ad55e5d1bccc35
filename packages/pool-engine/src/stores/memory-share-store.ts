import { LodeError } from '@lode/stratum-core';
import type { ShareRecord } from './share-record';
import type { ShareStore } from './share-store';

/**
 * The embedded default {@link ShareStore}: a bounded ring of the most recent
 * share records in memory (nothing survives a restart).
 *
 * @example new MemoryShareStore({ capacity: 10000 }).recent(20)
 */
export class MemoryShareStore implements ShareStore {
  private readonly ring: (ShareRecord | undefined)[];
  private next = 0;
  private count = 0;

  /**
   * @param options.capacity records kept, integer >= 1 (default 10000); the
   *   oldest is overwritten first
   * @throws LodeError('config') if capacity is not an integer >= 1
   */
  constructor(options: { capacity?: number } = {}) {
    const capacity = options.capacity ?? 10000;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new LodeError('config', `share store capacity must be an integer >= 1, got ${capacity}`);
    }
    this.ring = new Array<ShareRecord | undefined>(capacity);
  }

  /** records kept now (<= capacity) */
  get size(): number {
    return this.count;
  }

  /** Keeps the record, overwriting the oldest when full. */
  async record(record: ShareRecord): Promise<void> {
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.ring.length;
    this.count = Math.min(this.count + 1, this.ring.length);
  }

  /**
   * The last `n` records in the order they were recorded (oldest first,
   * newest last); fewer when fewer are kept.
   *
   * @param n how many, integer >= 0
   */
  recent(n: number): ShareRecord[] {
    const take = Math.max(0, Math.min(Math.floor(n), this.count));
    const out: ShareRecord[] = [];
    for (let i = take; i >= 1; i--) {
      const index = (this.next - i + this.ring.length) % this.ring.length;
      out.push(this.ring[index] as ShareRecord);
    }
    return out;
  }
}
