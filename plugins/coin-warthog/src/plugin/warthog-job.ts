import { LodeError, type CoinJob, type WarthogWork } from '@lode/plugin-api';

/** What a Warthog job keeps beyond the CoinJob contract, for buildBlock. */
export interface WarthogJobData {
  /** the template body, lower-case hex; body[0..10] is replaced by extranonce1 ‖ extranonce2 in a block */
  readonly body: string;
  /** extranonce1 size the sessions of this job have, bytes */
  readonly extranonce1Size: number;
  /** extranonce2 size miners roll, bytes (10 - extranonce1Size) */
  readonly extranonce2Size: number;
}

/**
 * A CoinJob built by WarthogCoinPlugin.createJob: Warthog stratum work plus
 * the template body a block needs. A miner's job (built from `mining.notify`)
 * has the work only.
 */
export interface WarthogJob extends CoinJob {
  readonly work: WarthogWork;
  readonly warthog: WarthogJobData;
}

/** True when `job` carries Warthog work and the `warthog` member. */
export function isWarthogJob(job: CoinJob): job is WarthogJob {
  const data = (job as Partial<WarthogJob>).warthog;
  return job.work.dialect === 'warthog' && typeof data === 'object' && data !== null && typeof data.body === 'string';
}

/**
 * The job's WarthogWork.
 *
 * @throws LodeError('plugin') for a job of another dialect
 */
export function warthogWorkOf(job: CoinJob): WarthogWork {
  if (job.work.dialect !== 'warthog') {
    throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) carries ${String(job.work.dialect)} work, not Warthog work`);
  }
  return job.work;
}
