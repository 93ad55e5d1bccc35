import type { ShareRecord } from './share-record';

/**
 * The port every share verdict is written through (DESIGN.md "State and
 * scale"). The in-memory default is {@link MemoryShareStore}; store-redis
 * provides a Redis one. Bound under {@link SHARE_STORE}.
 *
 * `record` is awaited on the share path after the verdict is known, and the
 * miner is answered only once it resolves: a share is answered accepted only
 * after its record is stored (issue 4; store-redis resolves once the record
 * is in Redis or in its local spool). An implementation that fails rejects
 * with LodeError('store'); the engine logs it and answers an accepted share
 * 'not-recorded' instead (a rejected one keeps its verdict).
 */
export interface ShareStore {
  /** persists one share record */
  record(record: ShareRecord): Promise<void>;
}
