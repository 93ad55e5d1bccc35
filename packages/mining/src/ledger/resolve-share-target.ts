import type { LedgerEntry } from './ledger-entry';

/**
 * The target a share on `entry`'s job is judged and credited at: the easier
 * (numerically larger) of the job's own target and the session's current
 * target, with the difficulty that goes with it. A share meeting the job's
 * target is never rejected because the difficulty went up after the job was
 * sent, nor one meeting the current target because it went down (the
 * ESP-Miner#212 rejects on ckpool); it is credited at the target actually
 * applied. When both are equal the job's is returned.
 *
 * @param entry the ledger entry of the share's job
 * @param current the session's current share target and difficulty
 * @returns `{ target, difficulty }`: compare the hash value with `target`
 *   (hash <= target), credit `difficulty`
 * @see DESIGN.md "Difficulty belongs to the job"; facts/field-notes.md §3(a)
 *   ("accept if shareDiff >= min(jobDiff, currentDiff) and credit that minimum")
 */
export function resolveShareTarget(
  entry: LedgerEntry<unknown>,
  current: { target: bigint; difficulty: number },
): { target: bigint; difficulty: number } {
  return entry.target >= current.target
    ? { target: entry.target, difficulty: entry.difficulty }
    : { target: current.target, difficulty: current.difficulty };
}
