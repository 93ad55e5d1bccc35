import type { CoinJob } from '@lode/plugin-api';

/**
 * A job as {@link JobManager.jobs$} emits it. `clean` is true when the job
 * builds on a new previous block: every older job became stale (Stratum v1
 * `clean_jobs`).
 */
export interface JobBroadcast {
  job: CoinJob;
  clean: boolean;
}
