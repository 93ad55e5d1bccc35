import type { SessionRecord } from './session-record';

/**
 * The port through which sessions are resumed (DESIGN.md "State and scale").
 * The in-memory default is {@link MemorySessionStore}; store-redis provides a
 * shared one so that a miner may resume on any instance. Bound under
 * {@link SESSION_STORE}.
 *
 * Failures reject with LodeError('store').
 */
export interface SessionStore {
  /** keeps `record` under `sessionId` (hex) until `record.expiresAt`, replacing any earlier one */
  save(sessionId: string, record: SessionRecord): Promise<void>;
  /**
   * Removes and returns the record of `sessionId`, or undefined when there is
   * none or it has expired. A record is taken at most once, so two
   * connections presenting the same id cannot both resume it.
   */
  take(sessionId: string): Promise<SessionRecord | undefined>;
}
