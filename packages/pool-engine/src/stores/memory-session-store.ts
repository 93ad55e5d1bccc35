import { LodeError } from '@lode/stratum-core';
import type { SessionRecord } from './session-record';
import type { SessionStore } from './session-store';

/**
 * The embedded default {@link SessionStore}: a bounded map in memory. Expired
 * records are never returned and are swept from the oldest end on save; when full, the record
 * saved longest ago is dropped.
 */
export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, SessionRecord>();
  private readonly capacity: number;
  private readonly now: () => number;

  /**
   * @param options.capacity records kept, integer >= 1 (default 100000)
   * @param options.now clock in ms since epoch (default Date.now; tests pass their own)
   * @throws LodeError('config') if capacity is not an integer >= 1
   */
  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.capacity = options.capacity ?? 100000;
    if (!Number.isInteger(this.capacity) || this.capacity < 1) {
      throw new LodeError('config', `session store capacity must be an integer >= 1, got ${this.capacity}`);
    }
    this.now = options.now ?? Date.now;
  }

  /** records kept now, expired ones not yet swept included */
  get size(): number {
    return this.records.size;
  }

  async save(sessionId: string, record: SessionRecord): Promise<void> {
    const now = this.now();
    // Records are in save order and windows are usually equal, so expired ones
    // sit at the front: stop at the first live one to keep a save O(1) amortized.
    for (const [id, kept] of this.records) {
      if (kept.expiresAt > now) break;
      this.records.delete(id);
    }
    // Re-inserting moves the id to the end, so the first key is the oldest save.
    this.records.delete(sessionId);
    this.records.set(sessionId, { ...record });
    while (this.records.size > this.capacity) {
      const oldest = this.records.keys().next().value as string;
      this.records.delete(oldest);
    }
  }

  async take(sessionId: string): Promise<SessionRecord | undefined> {
    const record = this.records.get(sessionId);
    if (record === undefined) return undefined;
    this.records.delete(sessionId);
    return record.expiresAt > this.now() ? record : undefined;
  }
}
