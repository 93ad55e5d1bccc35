/**
 * Port: cluster-wide duplicate detection (issue 4). One call per share, so a
 * Redis implementation makes exactly one round trip.
 *
 * A share's key is everything that makes its header: extranonce1,
 * extranonce2, ntime, nonce and version bits (DESIGN.md "Rules learned from
 * the field": duplicate detection includes version bits). Keys are grouped by
 * coin and block height so old heights can be swept.
 */
export interface DuplicateIndex {
  /**
   * Records `key` under (coin, height) and says whether it was new.
   *
   * @returns true when the key was not seen before (the share is not a duplicate)
   * @throws LodeError('store') when the index cannot be reached
   */
  add(coin: string, height: number, key: string): Promise<boolean>;
  /** forgets every key of `coin` below `height` (the engine calls it on each new block) */
  sweepBelow(coin: string, height: number): Promise<void>;
}
