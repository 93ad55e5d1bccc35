/**
 * What a closed session leaves behind for resume (ckpool's
 * `disconnected_sessions`, field-notes §1.2 "Session resume").
 */
export interface SessionRecord {
  /** the session's extranonce1, lower-case hex */
  extranonce1: string;
  /** when the resume window ends, ms since epoch */
  expiresAt: number;
}
