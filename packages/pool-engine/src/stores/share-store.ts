import type { ShareRecord } from './share-record';

/**
 * The port every share verdict is written through (DESIGN.md "State and
 * scale"). The in-memory default is {@link MemoryShareStore}; store-redis
 * provides a Redis one. Bound under {@link SHARE_STORE}.
 *
 * `record` is awaited on the share path after the verdict is known; an
 * implementation that fails rejects with LodeError('store'), which the
 * engine logs without changing the miner's verdict.
 */
export interface ShareStore {
  /** persists one share record */
  record(record: ShareRecord): Promise<void>;
}
