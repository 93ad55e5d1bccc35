/**
 * Port: extranonce1 uniqueness across pool instances (issue 4).
 *
 * Each instance takes a unique prefix at start and gives it back at a clean
 * stop; every extranonce1 it allocates starts with that prefix. A session
 * resumed on another instance keeps its extranonce1 (whose prefix is the first
 * instance's), so such a value is claimed explicitly while it is in use, and an
 * instance never hands out a value that another instance has claimed.
 */
export interface ExtranonceLeases {
  /**
   * Takes a prefix no other live instance holds.
   *
   * @param bytes prefix length in bytes (1..extranonce1Size-1)
   * @param instanceId this instance's id (logged, stored with the lease)
   * @returns the prefix bytes
   * @throws LodeError('store') when every prefix is taken or the store is unreachable
   */
  acquirePrefix(bytes: number, instanceId: string): Promise<Buffer>;
  /** gives the prefix back (clean stop) */
  releasePrefix(): Promise<void>;
  /**
   * Claims a specific extranonce1 for a session of this instance until
   * `ttlMs` from now (refreshed by calling again).
   *
   * @returns false when another instance holds it
   */
  claim(extranonce1: Buffer, instanceId: string, ttlMs: number): Promise<boolean>;
  /** drops a claim made by this instance */
  release(extranonce1: Buffer, instanceId: string): Promise<void>;
}
