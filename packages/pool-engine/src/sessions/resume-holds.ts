import type { ExtranonceAllocator } from '@lode/mining';

interface Hold {
  extranonce1: Buffer;
  expiresAt: number;
}

/**
 * extranonce1 values of closed sessions, kept claimed in the allocator for
 * their resume window so that no other session is handed them; released when
 * the window ends (sweep), when taken back by a resuming session, or, past
 * `capacity`, oldest first. Internal to the engine.
 */
export class ResumeHolds {
  private readonly holds = new Map<string, Hold>();

  constructor(
    private readonly allocator: ExtranonceAllocator,
    private readonly capacity: number,
  ) {}

  /** values held now */
  get size(): number {
    return this.holds.size;
  }

  /** Keeps `extranonce1` (already claimed in the allocator) for `sessionId` until `expiresAt` (ms). */
  hold(sessionId: string, extranonce1: Buffer, expiresAt: number): void {
    const previous = this.holds.get(sessionId);
    if (previous !== undefined) {
      this.holds.delete(sessionId);
      if (!previous.extranonce1.equals(extranonce1)) this.allocator.release(previous.extranonce1);
    }
    this.holds.set(sessionId, { extranonce1, expiresAt });
    while (this.holds.size > this.capacity) {
      const oldest = this.holds.keys().next().value as string;
      this.cancel(oldest);
    }
  }

  /**
   * Hands a held value over to a resuming session, which then owns its claim.
   *
   * @returns true when `sessionId` held exactly `extranonce1`
   */
  take(sessionId: string, extranonce1: Buffer): boolean {
    const held = this.holds.get(sessionId);
    if (held === undefined || !held.extranonce1.equals(extranonce1)) return false;
    this.holds.delete(sessionId);
    return true;
  }

  /** Releases the value held for `sessionId`, if any. */
  cancel(sessionId: string): void {
    const held = this.holds.get(sessionId);
    if (held === undefined) return;
    this.holds.delete(sessionId);
    this.allocator.release(held.extranonce1);
  }

  /**
   * Releases every value whose window has ended at `now` (ms).
   *
   * @returns how many were released
   */
  sweep(now: number): number {
    let released = 0;
    // Windows are equal within one engine, so holds expire in insertion order.
    for (const [sessionId, held] of this.holds) {
      if (held.expiresAt > now) break;
      this.holds.delete(sessionId);
      this.allocator.release(held.extranonce1);
      released++;
    }
    return released;
  }
}
