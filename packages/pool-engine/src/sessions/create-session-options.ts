import type { VardiffOptions } from '@lode/mining';

/** What {@link PoolEngine.createSession} needs to know about a new connection. */
export interface CreateSessionOptions {
  /** the peer's address as the connection saw it ("127.0.0.1:50123"), for the share store and logs */
  remoteAddress: string;
  /** the local port the miner connected to (ports may carry different difficulty settings) */
  port: number;
  /** the first share difficulty, finite and > 0 (fractions allowed) */
  initialDifficulty: number;
  /**
   * the connection's dialect ('bitcoin', 'ethstratum', 'warthog', ...), a
   * metrics label only (EngineMetrics); default 'unknown'. Keep it to a
   * small fixed set: it is not bounded here.
   */
  dialect?: string;
  /** variable difficulty settings; undefined = fixed difficulty (changed only by suggestDifficulty) */
  vardiff?: VardiffOptions;
}
