import type { CoinJob } from '@lode/plugin-api';

/**
 * What {@link JobManager.get} knows of a job id: the job, and whether it is
 * stale (built on an older previous block than the current job's).
 */
export interface JobLookup {
  job: CoinJob;
  stale: boolean;
}
