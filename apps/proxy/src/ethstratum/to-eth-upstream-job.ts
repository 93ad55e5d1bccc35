import type { EthClientJob } from '@lode/dialect-ethstratum';
import type { EthashWork } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import type { UpstreamJob } from '../core/upstream-link';

/**
 * The seed epoch of an ethash-family epoch: the number of keccak256
 * iterations that give the epoch's seed hash (ethash: the epoch itself;
 * etchash, ECIP-1099: twice the 60000-block epoch, so that the seed is the
 * one of the equivalent 30000-block epoch).
 *
 * @see facts/ethash.md §2.3, §2.8; plugin-api EthashWork.seedEpoch
 */
export function seedEpochOf(algo: 'ethash' | 'etchash', epoch: number): number {
  return algo === 'etchash' ? 2 * epoch : epoch;
}

/**
 * Maps one EthereumStratum/2.0.0 job from the upstream (the `mining.notify`
 * bound to the `mining.set` values before it) to an {@link UpstreamJob}:
 * work `EthashWork {dialect: 'ethstratum', headerHash, seedHash: '', epoch,
 * seedEpoch, algo}`, the job's own target (a 256-bit boundary), its height
 * and clean flag.
 *
 * `seedHash` is left empty: the wire never carries it (mining.set has the
 * epoch), nothing on the proxy's path reads it (the coin plugin's hashShare
 * and the downstream `mining.set` use epoch and algo), and computing it
 * needs keccak256, which apps/proxy does not depend on.
 *
 * @throws LodeError('protocol') when the job's algo is neither "ethash" nor
 *   "etchash" (the coin plugins hash nothing else)
 * @see specs/003_fafafa51dc5fa36a.txt "Prepare for mining", "Jobs notification"
 */
export function toEthUpstreamJob(job: EthClientJob): UpstreamJob {
  if (job.algo !== 'ethash' && job.algo !== 'etchash') {
    throw new LodeError('protocol', `upstream job ${job.jobId} has algo "${job.algo}", expected "ethash" or "etchash"`);
  }
  const work: EthashWork = {
    dialect: 'ethstratum',
    headerHash: job.headerHash,
    seedHash: '',
    epoch: job.epoch,
    seedEpoch: seedEpochOf(job.algo, job.epoch),
    algo: job.algo,
  };
  return { jobId: job.jobId, work, clean: job.clean, target: job.target, height: job.height };
}
