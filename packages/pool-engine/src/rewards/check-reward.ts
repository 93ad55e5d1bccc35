import { LodeError } from '@lode/stratum-core';

/**
 * Refuses a negative reward. Internal to the reward splits.
 *
 * @param reward smallest units
 * @throws LodeError('config') when `reward` is negative
 */
export function checkReward(reward: bigint): void {
  if (reward < 0n) throw new LodeError('config', `block reward is ${reward}; a reward is >= 0 smallest units`);
}
