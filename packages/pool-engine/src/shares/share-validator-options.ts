import type { LodeLogger } from '@lode/stratum-core';
import type { DuplicateIndex } from '../ports/duplicate-index';

/** Options of {@link ShareValidator}. */
export interface ShareValidatorOptions {
  /**
   * where duplicates are detected, per coin and height (default: a new
   * MemoryDuplicateIndex with its default bounds)
   */
  duplicateIndex?: DuplicateIndex;
  /** logger (default silent): duplicate index failures, sweep failures */
  logger?: LodeLogger;
  /** see PoolEngineOptions.acceptStaleHeights (default 0) */
  acceptStaleHeights?: number;
}
