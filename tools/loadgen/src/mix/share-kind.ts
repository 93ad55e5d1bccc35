/**
 * What a simulated share is meant to be, and so which verdict the pool owes it:
 *
 * - `valid`: meets the session's share target on a current job -> accepted
 * - `low-difficulty`: a well-formed share on a current job whose hash does
 *   NOT meet the share target -> rejected, low difficulty
 * - `duplicate`: a share the pool accepted earlier, sent again unchanged ->
 *   rejected, duplicate
 * - `stale`: a share on a job older than the last clean-jobs notify ->
 *   rejected, stale (or unknown job once the pool has forgotten the job)
 * - `malformed`: a line that is not JSON, or a submit with the wrong number
 *   of params -> an error reply
 *
 * @see field-notes.md §4 (nobody publishes these figures); DESIGN.md "Rules
 *   learned from the field" (stale and duplicate get distinct codes)
 */
export type ShareKind = 'valid' | 'low-difficulty' | 'duplicate' | 'stale' | 'malformed';

/** Every share kind, in report order. */
export const SHARE_KINDS: readonly ShareKind[] = Object.freeze(['valid', 'low-difficulty', 'duplicate', 'stale', 'malformed']);

/** Percent of shares of each kind; the values add up to 100. */
export type ShareMix = Readonly<Record<ShareKind, number>>;

/** A record with a zero for every share kind. */
export function zeroByKind(): Record<ShareKind, number> {
  return { valid: 0, 'low-difficulty': 0, duplicate: 0, stale: 0, malformed: 0 };
}
