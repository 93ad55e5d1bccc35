import { difficultyFromTarget, targetFromDifficulty } from '@lode/mining';

/**
 * The EthereumStratum/1.0.0 difficulty-1 target, `0x00000000ffff` followed by
 * 52 zero hex digits (0xffff · 2^208): "as in Bitcoin", the value NiceHash's
 * spec and ethminer (`getTargetFromDiff`) use. Miningcore uses 2^224 instead;
 * the two differ by 0xffff/0x10000 (1.5e-5), so a pool must allow for that
 * tolerance at the boundary (facts/ethash.md §1.2, open question 6).
 *
 * @see facts/ethash.md §1.2 "set_difficulty", §4.8
 */
export const ES1_DIFF1_TARGET = 0xffffn << 208n;

/**
 * The share target of an ES1 `mining.set_difficulty` value:
 * floor(0xffff · 2^208 / difficulty), a fractional difficulty read as the
 * shortest decimal JS prints for it (0.5 is exactly 1/2), as @lode/mining's
 * `targetFromDifficulty` does. Difficulty 1 gives
 * `00000000ffff0000000000000000000000000000000000000000000000000000`.
 *
 * @param difficulty ES1 difficulty (≈ 2^32 hashes per share at 1), finite and > 0
 * @returns the 256-bit target, clamped to [1, 2^256 - 1]
 * @throws LodeError('protocol') if difficulty is not a finite number > 0
 * @see facts/ethash.md §1.2, §4.8
 */
export function es1TargetFromDifficulty(difficulty: number): bigint {
  return targetFromDifficulty(difficulty, ES1_DIFF1_TARGET);
}

/**
 * The ES1 difficulty of a target (or of a final hash, giving the share's
 * difficulty): 0xffff · 2^208 / target as a double (not 2^224 / target, which
 * Miningcore uses; both read the §4.5 share as 1.863), rounded to 15
 * significant digits. The rounding keeps a pool's whole-number difficulty
 * whole on the wire: the target of engine difficulty 2^48/0xffff reads as
 * 0.9999999999999999 unrounded, and NiceHash's example sends 1 (§1.2). It
 * moves the miner's target by at most 5e-15 of itself.
 *
 * @param target a 256-bit target or hash value, > 0
 * @returns the difficulty, > 0 (fractional when target > the diff-1 target)
 * @throws LodeError('protocol') if target <= 0
 * @see facts/ethash.md §1.2, §4.5
 */
export function es1DifficultyFromTarget(target: bigint): number {
  return Number(difficultyFromTarget(target, ES1_DIFF1_TARGET).toPrecision(15));
}
