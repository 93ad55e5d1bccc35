import { difficultyFromTarget, hashToBigInt, resolveShareTarget } from '@lode/mining';
import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { CoinPlugin, ShareSubmission } from '@lode/plugin-api';
import type { Subscription } from 'rxjs';
import type { JobManager } from '../jobs/job-manager';
import type { BlockSubmitter } from './block-submitter';
import { DuplicateRegistry } from './duplicate-registry';
import type { ShareCheck } from './share-check';
import type { ShareJudgement } from './share-judgement';
import type { ShareValidatorOptions } from './share-validator-options';

/**
 * The share path of DESIGN.md "One share through the pool", after the dialect
 * has decoded the submit and the session has found its ledger entry:
 *
 * 1. job not in the session's ledger, or no longer in the JobManager's
 *    history -> 'unknown-job'
 * 2. job known but built on an older previous block -> 'stale' (a distinct
 *    reason and code, DESIGN.md "Rules learned from the field")
 * 3. `plugin.checkShare` (extranonce2 size, ntime window, version mask) -> its reason
 * 4. seen before on this job, version bits included -> 'duplicate'
 * 5. header = plugin.buildHeader, hash = plugin.hasher.hash(header): the one
 *    crossing into native code per share
 * 6. value = hashToBigInt(hash); the applied target is the easier of the
 *    job's recorded target and the session's current one
 *    (resolveShareTarget, DESIGN.md "Difficulty belongs to the job");
 *    value > applied target -> 'low-difficulty', unless the hash is a block
 * 7. accepted, credited at the applied difficulty; when value <= the job's
 *    network target the block is built and submitted through the
 *    BlockSubmitter, without delaying the verdict.
 *
 * A block candidate is always accepted, even when the network target is
 * easier than the share target (a devnet): a block is never thrown away.
 */
export class ShareValidator {
  private readonly duplicates: DuplicateRegistry;
  private readonly retired: Subscription;

  /**
   * @param plugin the coin's plugin (checkShare, buildHeader, hasher, diff1Target, displayHash)
   * @param jobs the JobManager whose history decides known/stale
   * @param blocks where block candidates go
   * @param options duplicate-set bound
   */
  constructor(
    private readonly plugin: CoinPlugin,
    private readonly jobs: JobManager,
    private readonly blocks: BlockSubmitter,
    options: ShareValidatorOptions = {},
  ) {
    this.duplicates = new DuplicateRegistry(options.duplicatesPerJob ?? 65536);
    // A job that left the history answers 'unknown-job' from now on: its keys are dead weight.
    this.retired = jobs.retired$.subscribe((jobId) => this.duplicates.drop(jobId));
  }

  /**
   * Judges one share.
   *
   * @returns the verdict, the job when known, and the block hash of a candidate
   * @throws whatever the plugin's buildHeader or hasher throws (a plugin bug:
   *   checkShare is meant to refuse malformed shares first)
   */
  validate(check: ShareCheck): ShareJudgement {
    const { share, entry, current, worker } = check;
    const known = this.jobs.get(share.jobId);
    if (entry === undefined || known === undefined) {
      return {
        verdict: reject('unknown-job', `job ${share.jobId} is not one of the session's current jobs`),
      };
    }
    const job = known.job;
    const networkDifficulty = this.jobs.networkDifficulty(job);
    if (known.stale) {
      return {
        job,
        networkDifficulty,
        verdict: reject(
          'stale',
          `job ${job.id} is stale: it builds on block ${job.prevHash}, the current job on ${this.jobs.current?.prevHash} (height ${this.jobs.currentHeight})`,
        ),
      };
    }
    const refused = this.plugin.checkShare(job, share);
    if (refused !== undefined) {
      return { job, networkDifficulty, verdict: reject(refused.reason, refused.message) };
    }
    if (!this.duplicates.register(job.id, duplicateKey(share))) {
      return {
        job,
        networkDifficulty,
        verdict: reject('duplicate', `share on job ${job.id} with nonce ${hex32(share.nonce)} was already submitted`),
      };
    }
    const header = this.plugin.buildHeader(job, share);
    const hash = this.plugin.hasher.hash(header);
    const value = hashToBigInt(hash);
    const applied = resolveShareTarget(entry, current);
    // An all-zero hash reads as 1 so that the difficulty stays finite.
    const shareDiff = difficultyFromTarget(value === 0n ? 1n : value, this.plugin.diff1Target);
    const block = value <= job.networkTarget;
    if (!block && value > applied.target) {
      return {
        job,
        networkDifficulty,
        shareDifficulty: shareDiff,
        verdict: reject(
          'low-difficulty',
          `share difficulty ${formatDifficulty(shareDiff)} is below the required ${formatDifficulty(applied.difficulty)} (job ${job.id})`,
        ),
      };
    }
    const displayHash = this.plugin.displayHash(hash);
    if (block) this.blocks.submit({ job, share, header, hash, worker });
    const verdict: ShareVerdict = {
      accepted: true,
      difficulty: applied.difficulty,
      shareDifficulty: shareDiff,
      block,
      hash: displayHash,
    };
    return { job, networkDifficulty, shareDifficulty: shareDiff, verdict, ...(block ? { blockHash: displayHash } : {}) };
  }

  /** ends the subscription to the JobManager's retired jobs and forgets every key */
  dispose(): void {
    this.retired.unsubscribe();
    this.duplicates.clear();
  }
}

function reject(reason: ShareRejectReason, message: string): ShareVerdict {
  return { accepted: false, reason, message };
}

function duplicateKey(share: ShareSubmission): string {
  const versionBits = share.versionBits === undefined ? '-' : hex32(share.versionBits);
  return `${share.extranonce1.toString('hex')}|${share.extranonce2.toString('hex')}|${hex32(share.ntime)}|${hex32(share.nonce)}|${versionBits}`;
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Up to 6 significant digits, without trailing zeros: 0.001, 16, 1.23457e+9. */
function formatDifficulty(difficulty: number): string {
  return String(Number(difficulty.toPrecision(6)));
}
