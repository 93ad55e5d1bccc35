import { LodeError, type CoinJob, type StratumV1Work } from '@lode/plugin-api';

/** What a Bitcoin job keeps beyond the CoinJob contract, for checkShare and buildBlock. */
export interface BitcoinJobData {
  /** extranonce1 size the coinbase was built for, bytes */
  readonly extranonce1Size: number;
  /** extranonce2 size the coinbase was built for, bytes */
  readonly extranonce2Size: number;
  /** the template's transactions (`transactions[].data`), hex, in block order, coinbase excluded */
  readonly transactions: readonly string[];
  /** the coinbase has a BIP 141 witness commitment, so the block carries its witness reserved value */
  readonly witness: boolean;
}

/**
 * A CoinJob built by BitcoinCoinPlugin.createJob: Stratum v1 work plus what a
 * block needs. A test can build one by hand from a real block's fields.
 */
export interface BitcoinJob extends CoinJob {
  readonly work: StratumV1Work;
  readonly bitcoin: BitcoinJobData;
}

/** True when `job` carries Bitcoin Stratum v1 work and the `bitcoin` member. */
export function isBitcoinJob(job: CoinJob): job is BitcoinJob {
  const data = (job as Partial<BitcoinJob>).bitcoin;
  return job.work.dialect === 'bitcoin' && typeof data === 'object' && data !== null && Array.isArray(data.transactions);
}

/**
 * Narrows a CoinJob to a BitcoinJob.
 *
 * @throws LodeError('plugin') when the job was built by another coin's plugin
 */
export function asBitcoinJob(job: CoinJob): BitcoinJob {
  if (!isBitcoinJob(job)) {
    throw new LodeError('plugin', `job ${job.id} (coin ${job.coin}) was not built by the btc plugin`);
  }
  return job;
}
