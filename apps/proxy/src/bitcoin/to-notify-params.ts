import type { NotifyParams } from '@lode/dialect-bitcoin';
import type { CoinJob } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';

/**
 * Maps a job's Stratum v1 work to the fields of `mining.notify` (the
 * proxy's downstream jobs carry the upstream's id and work as they came).
 * Copied from apps/pool/src/ports/to-notify-params.ts: apps do not import apps.
 *
 * @throws LodeError('config') when the job's coin does not produce Stratum v1 work
 */
export function toNotifyParams(job: CoinJob, cleanJobs: boolean): NotifyParams {
  const work = job.work;
  if (work.dialect !== 'bitcoin') {
    throw new LodeError('config', `coin '${job.coin}' produces ${String(work.dialect)} work, which a bitcoin port cannot send`);
  }
  return {
    jobId: job.id,
    prevhash: work.prevhash,
    coinb1: work.coinb1,
    coinb2: work.coinb2,
    merkleBranches: work.merkleBranches,
    version: work.version,
    nbits: work.nbits,
    ntime: work.ntime,
    cleanJobs,
  };
}
