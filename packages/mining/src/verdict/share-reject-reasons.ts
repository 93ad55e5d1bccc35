/**
 * Every reason a share can be refused, in a stable order (for exhaustive
 * tables: a dialect maps each to its error code and message).
 *
 * - `unknown-job`: the job id is not in the session's ledger (never sent, or evicted)
 * - `stale`: the job is known but superseded by a new block (clean_jobs)
 * - `duplicate`: the same header (version bits included) was already submitted
 * - `low-difficulty`: the hash is above the target applied
 * - `bad-ntime`: ntime outside the allowed range of the job
 * - `bad-extranonce2`: wrong length or not hex
 * - `bad-nonce`: wrong length or not hex
 * - `bad-version`: version bits outside the negotiated mask
 * - `unauthorized`: the worker is not authorized
 * - `not-subscribed`: submit before subscribe
 * - `malformed`: wrong parameter count or types
 * - `bad-seal`: the proof the miner sent beside its nonce (EthProxy's and
 *   plain stratum's mix digest) differs from the one the pool computed
 * - `not-recorded`: the share was good but its record could not be written
 *   (share store unavailable); it is not credited, and the miner may submit
 *   it again (issue 4: a share is answered accepted only once recorded)
 *
 * @see facts/field-notes.md §1 (stale and duplicate get distinct codes) and §3(b)
 */
export const SHARE_REJECT_REASONS = [
  'unknown-job',
  'stale',
  'duplicate',
  'low-difficulty',
  'bad-ntime',
  'bad-extranonce2',
  'bad-nonce',
  'bad-version',
  'unauthorized',
  'not-subscribed',
  'malformed',
  'not-recorded',
  'bad-seal',
] as const;
