import { difficultyFromTarget, hashAtMostTarget, hashToBigInt, resolveShareTarget, shareDifficulty } from '@lode/mining';
import type { ShareRejectReason, ShareVerdict } from '@lode/mining';
import type { CoinPlugin } from '@lode/plugin-api';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { Subscription } from 'rxjs';
import type { JobManager } from '../jobs/job-manager';
import type { DuplicateIndex } from '../ports/duplicate-index';
import { MemoryDuplicateIndex } from '../ports/memory-duplicate-index';
import type { BlockSubmitter } from './block-submitter';
import type { ShareCheck } from './share-check';
import type { ShareJudgement } from './share-judgement';
import type { ShareValidatorOptions } from './share-validator-options';
import { shareKey } from './share-key';

/** Shares whose record failed that may come again without being called duplicates (see allowResubmit). */
const RESUBMIT_ALLOWANCE = 4096;
/** While the duplicate index keeps failing, one log line per this many shares. */
const FAILURE_LOG_EVERY = 1000;

/**
 * The share path of DESIGN.md "One share through the pool", after the dialect
 * has decoded the submit and the session has found its ledger entry:
 *
 * 1. job not in the session's ledger, or no longer in the JobManager's
 *    history -> 'unknown-job'
 * 2. job known but built on an older previous block -> 'stale' (a distinct
 *    reason and code, DESIGN.md "Rules learned from the field"), unless its
 *    height is within `acceptStaleHeights` of the current one: then it goes
 *    through every check below and, when good, is accepted with
 *    `stale: true` (accepted-stale, EIP-1571 code 202)
 * 3. `plugin.checkShare` (extranonce2 size, ntime window, version mask) -> its reason
 * 4. `duplicateIndex.add(coin, job.height, key)` says seen -> 'duplicate'. The
 *    key is what the miner chose: `en1‖en2|ntime|nonce|versionBits`, hex,
 *    followed by `|plugin.workKey(job)` when the plugin has one (ethash: the header hash),
 *    version bits included (0 when not rolled) and the job id NOT included,
 *    so the same header replayed on another job id or another instance is
 *    caught. One call per share (one round trip for store-redis). When the
 *    index fails, the share is judged without the check (a good share is
 *    never lost to a store outage): counted in duplicateCheckFailures, logged.
 * 5. header = plugin.buildHeader, hash = plugin.hasher.hash(header): the one
 *    crossing into native code per share; or, when the plugin has
 *    `hashShare` (ethash: the light cache of the job's epoch, off the event
 *    loop), its hash and seal. When the miner sent a seal (EthProxy's mix
 *    digest) the plugin gets it as a PowClaim and may refuse on a cheap
 *    check (`quick`, answered 'low-difficulty' without the full hash); a
 *    computed seal that differs from the sent one is 'bad-seal'
 * 6. value = plugin.hashValue(hash) (default hashToBigInt, little-endian;
 *    then decided without bigint: hashAtMostTarget, exact, and the share
 *    difficulty from doubles, shareDifficulty);
 *    the applied target is the easier of the
 *    job's recorded target and the session's current one
 *    (resolveShareTarget, DESIGN.md "Difficulty belongs to the job");
 *    value > applied target -> 'low-difficulty', unless the hash is a block
 * 7. accepted, credited at the applied difficulty; when value <= the job's
 *    network target the block is built and submitted through the
 *    BlockSubmitter, without delaying the verdict.
 *
 * A block candidate is always accepted, even when the network target is
 * easier than the share target (a devnet): a block is never thrown away.
 *
 * On every clean job (a new previous block) it calls
 * `duplicateIndex.sweepBelow(coin, height - 1 - max(1, acceptStaleHeights))`:
 * shares of lower heights are refused as stale anyway.
 */
export class ShareValidator {
  private readonly duplicates: DuplicateIndex;
  private readonly logger: LodeLogger;
  private readonly sweeps: Subscription;
  /** `${height}|${key}` of shares answered 'not-recorded', oldest first */
  private readonly resubmits = new Set<string>();
  private failures = 0;
  private readonly acceptStaleHeights: number;
  private failuresInARow = 0;

  /**
   * @param plugin the coin's plugin (id, checkShare, buildHeader, hasher, diff1Target, displayHash)
   * @param jobs the JobManager whose history decides known/stale, and whose clean jobs trigger sweeps
   * @param blocks where block candidates go
   * @param options the duplicate index (default a new MemoryDuplicateIndex) and a logger
   */
  constructor(
    private readonly plugin: CoinPlugin,
    private readonly jobs: JobManager,
    private readonly blocks: BlockSubmitter,
    options: ShareValidatorOptions = {},
  ) {
    this.duplicates = options.duplicateIndex ?? new MemoryDuplicateIndex();
    this.logger = (options.logger ?? silentLogger).child({ component: 'share-validator', coin: plugin.id });
    this.acceptStaleHeights = options.acceptStaleHeights ?? 0;
    if (!Number.isInteger(this.acceptStaleHeights) || this.acceptStaleHeights < 0) {
      throw new LodeError('config', `acceptStaleHeights must be an integer >= 0, got ${String(options.acceptStaleHeights)}`);
    }
    const keep = 1 + Math.max(1, this.acceptStaleHeights);
    this.sweeps = jobs.jobs$.subscribe(({ job, clean }) => {
      if (clean) this.sweep(job.height - keep);
    });
  }

  /** shares judged without the duplicate check because the DuplicateIndex failed, since construction */
  get duplicateCheckFailures(): number {
    return this.failures;
  }

  /**
   * Judges one share.
   *
   * @returns the verdict, the job when known, and the block hash of a candidate
   * @throws whatever the plugin's buildHeader or hasher throws (a plugin bug:
   *   checkShare is meant to refuse malformed shares first)
   */
  async validate(check: ShareCheck): Promise<ShareJudgement> {
    const { share, entry, current, worker } = check;
    const known = this.jobs.get(share.jobId);
    if (entry === undefined || known === undefined) {
      return {
        verdict: reject('unknown-job', `job ${share.jobId} is not one of the session's current jobs`),
      };
    }
    const job = known.job;
    const networkDifficulty = this.jobs.networkDifficulty(job);
    const acceptedStale = known.stale && job.height >= (this.jobs.currentHeight ?? job.height) - this.acceptStaleHeights;
    if (known.stale && !acceptedStale) {
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
    const workKey = this.plugin.workKey?.(job);
    const duplicateKey = { height: job.height, key: workKey === undefined ? shareKey(share) : `${shareKey(share)}|${workKey}` };
    if (!(await this.isNew(duplicateKey))) {
      return {
        job,
        networkDifficulty,
        duplicateKey,
        verdict: reject(
          'duplicate',
          `share on job ${job.id} with extranonce2 ${share.extranonce2.toString('hex')}, ntime ${hex32(share.ntime)} and nonce ${hex32(share.nonce)} was already submitted at height ${job.height}`,
        ),
      };
    }
    const header = this.plugin.buildHeader(job, share);
    const applied = resolveShareTarget(entry, current);
    let hash: Buffer;
    let seal: Buffer | undefined;
    let blockId: string | undefined;
    let quick = false;
    if (this.plugin.hashShare === undefined) {
      hash = this.plugin.hasher.hash(header);
    } else {
      const claim =
        share.seal === undefined
          ? undefined
          : { seal: share.seal, target: applied.target > job.networkTarget ? applied.target : job.networkTarget };
      ({ hash, seal, blockHash: blockId } = await this.plugin.hashShare(job, header, claim).then((pow) => {
        quick = pow.quick === true;
        return pow;
      }));
    }
    let shareDiff: number;
    let block: boolean;
    let meetsTarget: boolean;
    if (this.plugin.hashValue === undefined && hash.length === 32) {
      // hashToBigInt's reading without a bigint: exact comparisons, the difficulty from doubles
      shareDiff = shareDifficulty(hash, this.plugin.diff1Target);
      block = hashAtMostTarget(hash, job.networkTarget);
      meetsTarget = block || hashAtMostTarget(hash, applied.target);
    } else {
      const value = this.plugin.hashValue === undefined ? hashToBigInt(hash) : this.plugin.hashValue(hash);
      // An all-zero hash reads as 1 so that the difficulty stays finite.
      shareDiff = difficultyFromTarget(value === 0n ? 1n : value, this.plugin.diff1Target);
      block = value <= job.networkTarget;
      meetsTarget = block || value <= applied.target;
    }
    if (!meetsTarget) {
      return {
        job,
        networkDifficulty,
        shareDifficulty: shareDiff,
        duplicateKey,
        verdict: reject(
          'low-difficulty',
          quick
            ? `share difficulty ${formatDifficulty(shareDiff)} from the sent mix digest is below the required ${formatDifficulty(applied.difficulty)} (job ${job.id}; quick check, the full hash was not computed)`
            : `share difficulty ${formatDifficulty(shareDiff)} is below the required ${formatDifficulty(applied.difficulty)} (job ${job.id})`,
        ),
      };
    }
    if (share.seal !== undefined && seal !== undefined && !share.seal.equals(seal)) {
      return {
        job,
        networkDifficulty,
        duplicateKey,
        verdict: reject(
          'bad-seal',
          `the sent seal ${share.seal.toString('hex')} differs from the computed ${seal.toString('hex')} (job ${job.id})`,
        ),
      };
    }
    const displayHash = blockId ?? this.plugin.displayHash(hash);
    if (block) {
      this.blocks.submit({
        job,
        share,
        header,
        hash,
        worker,
        ...(seal === undefined ? {} : { seal }),
        ...(blockId === undefined ? {} : { blockHash: blockId }),
      });
    }
    // two literals rather than spreads: no throwaway objects per share, same keys in the same order
    const verdict: ShareVerdict = acceptedStale
      ? { accepted: true, difficulty: applied.difficulty, shareDifficulty: shareDiff, block, hash: displayHash, stale: true }
      : { accepted: true, difficulty: applied.difficulty, shareDifficulty: shareDiff, block, hash: displayHash };
    return block
      ? { job, networkDifficulty, shareDifficulty: shareDiff, duplicateKey, verdict, blockHash: displayHash }
      : { job, networkDifficulty, shareDifficulty: shareDiff, duplicateKey, verdict };
  }

  /**
   * Lets the share of `judgement` come once more without being refused as
   * 'duplicate' by this validator: the session calls it when the share was
   * good but its record failed ('not-recorded', "submit it again"). Only this
   * instance knows (a bounded set of the last 4096 such shares); the index
   * itself keeps the key.
   */
  allowResubmit(judgement: ShareJudgement): void {
    const { duplicateKey } = judgement;
    if (duplicateKey === undefined) return;
    const id = `${duplicateKey.height}|${duplicateKey.key}`;
    this.resubmits.delete(id);
    this.resubmits.add(id);
    if (this.resubmits.size > RESUBMIT_ALLOWANCE) this.resubmits.delete(this.resubmits.values().next().value as string);
  }

  /** ends the subscription to the JobManager's clean jobs (no more sweeps) */
  dispose(): void {
    this.sweeps.unsubscribe();
    this.resubmits.clear();
  }

  private async isNew({ height, key }: { height: number; key: string }): Promise<boolean> {
    let added: boolean;
    try {
      added = await this.duplicates.add(this.plugin.id, height, key);
    } catch (error) {
      this.failures++;
      this.failuresInARow++;
      if (this.failuresInARow === 1 || this.failuresInARow % FAILURE_LOG_EVERY === 0) {
        this.logger.warn(
          { err: error, failures: this.failures, inARow: this.failuresInARow },
          'duplicate index failed: shares are judged without the duplicate check until it answers again',
        );
      }
      return true;
    }
    if (this.failuresInARow > 0) {
      this.logger.info({ unchecked: this.failuresInARow }, 'duplicate index answers again');
      this.failuresInARow = 0;
    }
    if (added) return true;
    // A share answered 'not-recorded' may come once more (its key is already in the index).
    return this.resubmits.delete(`${height}|${key}`);
  }

  private sweep(below: number): void {
    // Nothing lies below height 0 (a chain's first blocks); the Redis index refuses negative heights.
    if (below <= 0) return;
    this.duplicates.sweepBelow(this.plugin.id, below).catch((error: unknown) => {
      this.logger.warn({ err: error, below }, `duplicate index failed to sweep heights below ${below}`);
    });
  }
}

function reject(reason: ShareRejectReason, message: string): ShareVerdict {
  return { accepted: false, reason, message };
}

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/** Up to 6 significant digits, without trailing zeros: 0.001, 16, 1.23457e+9. */
function formatDifficulty(difficulty: number): string {
  return String(Number(difficulty.toPrecision(6)));
}
