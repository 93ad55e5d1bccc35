/** The block reward before any halving: 3 WART, in E8 units. */
export const INITIAL_BLOCK_REWARD_E8 = 300_000_000n;

/** Blocks between halvings. */
export const HALVING_INTERVAL = 3_153_600;

/**
 * The block reward at `height` in E8 units: 3 WART shifted right by
 * floor((height - 1) / 3153600) halvings.
 *
 * @param height >= 1
 * @see facts/warthog.md §1.2 (NODE block/chain/height.hpp)
 */
export function blockRewardE8(height: number): bigint {
  const halvings = Math.floor((height - 1) / HALVING_INTERVAL);
  return INITIAL_BLOCK_REWARD_E8 >> BigInt(halvings);
}

/** An E8 amount as the node prints it: "3.00000000". */
export function formatWart(e8: bigint): string {
  const whole = e8 / 100_000_000n;
  const fraction = e8 % 100_000_000n;
  return `${whole}.${fraction.toString().padStart(8, '0')}`;
}
