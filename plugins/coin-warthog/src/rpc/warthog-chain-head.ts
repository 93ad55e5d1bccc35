/**
 * The `data` of `GET /chain/head`, reduced to what a pool watches.
 *
 * @see facts/warthog.md §4.2 (`{hash, synced, height, difficulty, is_janushash, pinHeight, ...}`)
 */
export interface WarthogChainHead {
  /** the head block's id (sha256d of its header), 64 lower-case hex, digest order */
  hash: string;
  /** the head's height */
  height: number;
  /** false while the node syncs */
  synced: boolean;
  /** the next block's difficulty, when the node says so */
  difficulty?: number;
}
