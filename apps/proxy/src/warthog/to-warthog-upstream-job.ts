import type { WarthogClientJob } from '@lode/dialect-warthog';
import { targetFromDifficulty } from '@lode/mining';
import type { WarthogWork } from '@lode/plugin-api';
import type { UpstreamJob } from '../core/upstream-link';

/**
 * Maps one Warthog stratum job from the upstream (the `mining.notify` bound
 * to the `mining.set_difficulty` in force when it arrived) to an
 * {@link UpstreamJob}: work `WarthogWork {dialect: 'warthog', prevHash,
 * merklePrefix, version, nbits, ntime}`, the clean flag, and the share
 * target `floor(diff1Target / difficulty)` (Warthog: diff1Target = 2^256, no
 * 2^32 factor; clamped to [1, 2^256 - 1]). Warthog's notify has no height.
 *
 * @param diff1Target the coin's difficulty-1 target (the discovered plugin's diff1Target)
 * @throws LodeError('protocol') if the difficulty is not finite and > 0 (the dialect never lets one through)
 * @see specs/004_8dfd75be62003ef5.txt "Mining.notify"; facts/warthog.md §3, §7; DESIGN.md "Difficulty belongs to the job"
 */
export function toWarthogUpstreamJob(job: WarthogClientJob, diff1Target: bigint): UpstreamJob {
  const { params } = job;
  const work: WarthogWork = {
    dialect: 'warthog',
    prevHash: params.prevHash,
    merklePrefix: params.merklePrefix,
    version: params.version,
    nbits: params.nbits,
    ntime: params.ntime,
  };
  return { jobId: params.jobId, work, clean: params.clean, target: targetFromDifficulty(job.difficulty, diff1Target) };
}
