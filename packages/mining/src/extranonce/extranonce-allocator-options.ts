/** Options of an ExtranonceAllocator. */
export interface ExtranonceAllocatorOptions {
  /** extranonce1 length in bytes, 1..8, prefix included */
  readonly size: number;
  /**
   * This instance's prefix (e.g. a cluster instance id), the first bytes of
   * every value handed out; shorter than or equal to `size`. Default: none.
   */
  readonly prefix?: Uint8Array;
  /**
   * The first suffix value to try, in [0, capacity). Default: random, so a
   * restarted process does not hand out the values it handed out just before.
   */
  readonly start?: bigint;
}
