/**
 * The difficulty-1 target of ethash-family stratum difficulty: 2^256.
 *
 * A difficulty d stands for the boundary 2^256 / d, the same maths the node's
 * `eth_getWork[2]` and EthereumStratum/2.0.0 `mining.set.target` use; so
 * `targetFromDifficulty(d, ETHASH_DIFF1_TARGET)` from @lode/mining gives the
 * boundary (clamped to [1, 2^256 - 1]), and difficulty 1 accepts every hash.
 * (NiceHash EthereumStratum/1.0.0 counts difficulty in units of 2^32 instead:
 * its dialect scales.)
 *
 * One above the largest 256-bit number, so it is not itself a target.
 *
 * @see facts/ethash.md §0 (4), §2.6, §4.8
 */
export const ETHASH_DIFF1_TARGET: bigint = 2n ** 256n;
