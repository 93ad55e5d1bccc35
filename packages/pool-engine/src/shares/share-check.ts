import type { LedgerEntry } from '@lode/mining';
import type { ShareSubmission } from '@lode/plugin-api';

/** What {@link ShareValidator.validate} judges: one share in its session's context. */
export interface ShareCheck {
  /** the share as the dialect decoded it (with the session's extranonce1) */
  share: ShareSubmission;
  /**
   * the session's ledger entry for share.jobId (only its target and
   * difficulty are read; the job comes from the JobManager), or undefined
   * when the job was never sent to it
   */
  entry: LedgerEntry<unknown> | undefined;
  /** the session's current share target and difficulty */
  current: { target: bigint; difficulty: number };
  /** worker name, for block attribution */
  worker: string;
}
