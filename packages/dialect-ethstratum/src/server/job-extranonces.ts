/**
 * The extranonce in force when each of the last `capacity` jobs was sent on
 * this connection: a share's miner nonce is sized and prefixed by the
 * extranonce of its own job, not the current one ("It's server duty to keep
 * track of the tuples job ids <-> extranonces per session",
 * specs/003_fafafa51dc5fa36a.txt "Solution submission").
 *
 * Bounded: recording a job beyond `capacity` forgets the oldest; a job id
 * sent again moves to the newest place with its new extranonce.
 */
export class JobExtranonces {
  private readonly byJob = new Map<string, Buffer>();

  constructor(private readonly capacity = 64) {}

  /** Jobs remembered now (at most `capacity`). */
  get size(): number {
    return this.byJob.size;
  }

  record(jobId: string, extranonce: Buffer): void {
    this.byJob.delete(jobId);
    this.byJob.set(jobId, Buffer.from(extranonce));
    if (this.byJob.size > this.capacity) {
      const oldest = this.byJob.keys().next().value as string;
      this.byJob.delete(oldest);
    }
  }

  /** The extranonce the job was sent under, or undefined for a job this connection did not send (or forgot). */
  get(jobId: string): Buffer | undefined {
    return this.byJob.get(jobId);
  }
}
