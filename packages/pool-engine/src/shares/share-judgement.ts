import type { ShareVerdict } from '@lode/mining';
import type { CoinJob } from '@lode/plugin-api';

/** The outcome of {@link ShareValidator.validate}: the verdict and what the share store needs. */
export interface ShareJudgement {
  verdict: ShareVerdict;
  /** the share's job, when it is known (in the session's ledger and the history) */
  job?: CoinJob;
  /** network difficulty of the share's job, when known */
  networkDifficulty?: number;
  /** the difficulty the share's hash reached, when it was hashed (rejected as low-difficulty too) */
  shareDifficulty?: number;
  /** display hex of the hash when the share is a block candidate */
  blockHash?: string;
  /**
   * the share's entry in the DuplicateIndex (the job's height and the key),
   * when the share got that far; {@link ShareValidator.allowResubmit} takes it
   */
  duplicateKey?: { height: number; key: string };
}
