import type { LodeLogger } from '../logger';

/** Limits of one {@link StratumConnection}; all optional. */
export interface ConnectionOptions {
  /** longest received line in bytes (LF and CR excluded); default 16384 */
  maxLineBytes?: number;
  /**
   * bytes written but not yet taken by the peer (`socket.writableLength`)
   * before the connection is closed as "peer not reading"; default 1 MiB.
   * Miningcore drops a client whose 16-message send queue is full
   * (field-notes.md §1.1); a byte cap bounds memory the same way.
   */
  maxSendQueueBytes?: number;
  /** close when no line arrives for this many ms; 0 (default) turns it off */
  idleTimeoutMs?: number;
  /** receives close reasons and framing errors; default silent */
  logger?: LodeLogger;
}
