/**
 * The difficulty-1 target of Warthog's stratum difficulty: 2^256.
 *
 * Warthog's target is the inverse of the difficulty, τ = 1/D, with no 2^32
 * factor (specs/004_8dfd75be62003ef5.txt, "Mining.set_difficulty"). Lode
 * compares 256-bit integers, so τ is scaled by 2^256: a difficulty D stands
 * for the target 2^256 / D, and `targetFromDifficulty(D, WARTHOG_DIFF1_TARGET)`
 * from @lode/mining gives it (clamped to [1, 2^256 - 1]). The hash a share is
 * compared as is the Janushash number J, scaled the same way (see
 * WarthogCoinPlugin.hashValue).
 *
 * One above the largest 256-bit number, so it is not itself a target.
 *
 * @see facts/warthog.md §3.1 ("Pool share difficulty"), §8 (6)
 */
export const WARTHOG_DIFF1_TARGET: bigint = 2n ** 256n;
