/**
 * A block candidate and the node's answer, as {@link PoolEngine.blocks$} and
 * {@link BlockSubmitter.blocks$} emit it.
 */
export interface FoundBlock {
  /** height of the block */
  height: number;
  /** block hash, display hex (the node's, or the plugin's displayHash when the node gave none) */
  hash: string;
  /** true when the node accepted the block */
  accepted: boolean;
  /** why the node (or the plugin building the block) refused it */
  reason?: string;
  /** the worker whose share found it */
  worker: string;
}
