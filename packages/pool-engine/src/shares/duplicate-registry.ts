/**
 * Shares already seen, per job: a bounded Set of keys for each job id, dropped
 * when the job leaves the JobManager's history. Internal to the share path.
 *
 * The key is `en1|en2|ntime|nonce|versionBits`: version bits are part of it,
 * since a version-rolling miner may legitimately send the same nonce under
 * two versions (field-notes §1.1, Miningcore leaves them out; DESIGN.md
 * "Rules learned from the field").
 */
export class DuplicateRegistry {
  private readonly jobs = new Map<string, Set<string>>();

  /** @param perJob keys kept per job; past it the oldest key is forgotten */
  constructor(private readonly perJob: number) {}

  /** jobs with at least one key */
  get jobCount(): number {
    return this.jobs.size;
  }

  /**
   * Registers `key` under `jobId`.
   *
   * @returns false when the key was already registered (a duplicate)
   */
  register(jobId: string, key: string): boolean {
    let keys = this.jobs.get(jobId);
    if (keys === undefined) {
      keys = new Set<string>();
      this.jobs.set(jobId, keys);
    }
    if (keys.has(key)) return false;
    keys.add(key);
    if (keys.size > this.perJob) {
      // A Set iterates in insertion order: the first key is the oldest.
      keys.delete(keys.values().next().value as string);
    }
    return true;
  }

  /** forgets every key of `jobId` (the job left the history) */
  drop(jobId: string): void {
    this.jobs.delete(jobId);
  }

  /** forgets everything */
  clear(): void {
    this.jobs.clear();
  }
}
