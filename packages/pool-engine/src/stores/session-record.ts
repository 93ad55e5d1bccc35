/**
 * What a closed session leaves behind for resume (ckpool's
 * `disconnected_sessions`, field-notes §1.2 "Session resume").
 */
export interface SessionRecord {
  /** the session's extranonce1, lower-case hex */
  extranonce1: string;
  /** when the resume window ends, ms since epoch */
  expiresAt: number;
  /** workers the session had authorized (a resumed session keeps them) */
  workers?: string[];
  /** the session's difficulty when it closed */
  difficulty?: number;
  /**
   * its most recent jobs (newest last): job id, the share target in effect
   * when the job was sent (64 hex digits), that difficulty, and the
   * extranonce1 it was sent with (hex) — so shares on them stay valid
   * after a resume on any instance that knows the job id
   */
  jobs?: { jobId: string; target: string; difficulty: number; extranonce1: string }[];
}
