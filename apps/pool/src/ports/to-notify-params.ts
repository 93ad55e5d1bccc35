import type { NotifyParams } from '@lode/dialect-bitcoin';
import type { CoinJob } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';

/** The params made for a job, clean and not clean; dropped with the job. */
interface Made {
  clean?: NotifyParams;
  notClean?: NotifyParams;
}

const made = new WeakMap<CoinJob, Made>();

/**
 * Maps a job's Stratum v1 work to the fields of `mining.notify`.
 *
 * A job is fanned out to every session with the same params (no per-session
 * field goes into `mining.notify`: extranonce1 is in the subscribe reply,
 * the difficulty in `mining.set_difficulty`, the version mask in
 * `mining.set_version_mask`), so they are made once per (job, clean) and
 * the same frozen object (its merkle branches a frozen copy) is returned for
 * every session; `encodeNotifyParams` then encodes it once too
 * (docs/performance.md (c)). Kept in a WeakMap keyed by the job, so they go
 * when the job does. A job's work must not change after its first call.
 *
 * @returns frozen params (read only)
 * @throws LodeError('config') when the job's coin does not produce Stratum v1 work
 */
export function toNotifyParams(job: CoinJob, cleanJobs: boolean): NotifyParams {
  let mine = made.get(job);
  const cached = cleanJobs ? mine?.clean : mine?.notClean;
  if (cached !== undefined) return cached;
  const params = build(job, cleanJobs);
  if (mine === undefined) made.set(job, (mine = {}));
  if (cleanJobs) mine.clean = params;
  else mine.notClean = params;
  return params;
}

function build(job: CoinJob, cleanJobs: boolean): NotifyParams {
  const work = job.work;
  if (work.dialect !== 'bitcoin') {
    throw new LodeError('config', `coin '${job.coin}' produces ${String(work.dialect)} work, which a bitcoin port cannot send`);
  }
  const merkleBranches = [...work.merkleBranches];
  Object.freeze(merkleBranches);
  return Object.freeze({
    jobId: job.id,
    prevhash: work.prevhash,
    coinb1: work.coinb1,
    coinb2: work.coinb2,
    merkleBranches,
    version: work.version,
    nbits: work.nbits,
    ntime: work.ntime,
    cleanJobs,
  });
}
