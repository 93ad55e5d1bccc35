import { LodeError } from '@lode/stratum-core';
import type { JobLedgerOptions } from './job-ledger-options';
import type { LedgerEntry } from './ledger-entry';

/**
 * One session's bounded history of the jobs it was sent, each with the share
 * target in effect when it went out, so a share is judged against the target
 * of its own job (DESIGN.md "Difficulty belongs to the job").
 *
 * This replaces ckpool's single `old_diff` and Miningcore's single
 * `PreviousDifficulty`: two difficulty changes between two jobs lose nothing,
 * and each job keeps its own target until it falls out of the window. Beyond
 * `capacity` the oldest job is evicted; a share on it is then unknown-job.
 * Lookups and records are O(1); memory is `capacity` entries.
 *
 * @typeParam TJob whatever the caller needs to rebuild a header from a share
 * @throws LodeError('config') from the constructor if capacity is not an integer >= 1
 * @see facts/field-notes.md §3(a); specs/000_f8fc60f969bbc43e.txt
 */
export class JobLedger<TJob> {
  /** the most jobs kept */
  readonly capacity: number;

  // A Map iterates in insertion order, so its first key is the oldest job.
  private readonly entries = new Map<string, LedgerEntry<TJob>>();
  private newest: LedgerEntry<TJob> | undefined;

  constructor(options: JobLedgerOptions = {}) {
    const capacity = options.capacity ?? 16;
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new LodeError('config', `job ledger capacity must be an integer >= 1, got ${String(capacity)}`);
    }
    this.capacity = capacity;
  }

  /** How many jobs are kept now. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Records a job as sent to this session, with the target in effect. A job
   * id recorded again replaces the old entry and becomes the newest.
   *
   * @param jobId the id the miner will echo in its submits
   * @param job the job
   * @param target 256-bit share target in effect for this job, > 0
   * @param difficulty the difficulty the target stands for, finite and > 0
   * @param sentAt ms since the epoch
   * @returns the entry recorded
   * @throws LodeError('protocol') if target <= 0 or difficulty is not finite and > 0
   */
  record(jobId: string, job: TJob, target: bigint, difficulty: number, sentAt: number = Date.now()): LedgerEntry<TJob> {
    if (typeof target !== 'bigint' || target <= 0n) {
      throw new LodeError('protocol', `job ${jobId}: target must be a bigint > 0, got ${String(target)}`);
    }
    if (!Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `job ${jobId}: difficulty must be a finite number > 0, got ${String(difficulty)}`);
    }
    const entry: LedgerEntry<TJob> = { jobId, job, target, difficulty, sentAt };
    this.entries.delete(jobId);
    this.entries.set(jobId, entry);
    this.newest = entry;
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry;
  }

  /** The entry of a job id, or undefined when it was never sent or was evicted. */
  lookup(jobId: string): LedgerEntry<TJob> | undefined {
    return this.entries.get(jobId);
  }

  /** The job recorded last, or undefined when the ledger is empty. */
  latest(): LedgerEntry<TJob> | undefined {
    return this.newest;
  }

  /** Forgets every job (a clean_jobs notify, or the session closing). */
  clear(): void {
    this.entries.clear();
    this.newest = undefined;
  }
}
