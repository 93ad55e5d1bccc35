/**
 * What a session was sent for one job: the job itself and the share target
 * in effect when it went out (DESIGN.md "Difficulty belongs to the job").
 */
export interface LedgerEntry<TJob> {
  /** the job id as sent in mining.notify (or the dialect's equivalent) */
  readonly jobId: string;
  /** the job, as the caller keeps it (template, coinbase parts, version...) */
  readonly job: TJob;
  /** 256-bit share target in effect for this session when the job was sent */
  readonly target: bigint;
  /** the difficulty that target stands for (as sent to the miner) */
  readonly difficulty: number;
  /** when the job was sent, ms since the epoch */
  readonly sentAt: number;
}
