import { LodeError } from '@lode/stratum-core';
import type { RewardSplit } from './reward-split';
import { checkReward } from './check-reward';

/**
 * SOLO: the worker whose share was the block receives the whole reward (the
 * pool only provides the work; nothing is shared).
 *
 * @param finder worker name that submitted the block, non-empty
 * @param reward block reward in the coin's smallest unit (satoshis), >= 0n
 * @returns a split with the single entry finder -> reward
 * @throws LodeError('share') when `finder` is empty; LodeError('config') when
 *   `reward` is negative
 * @see Meni Rosenfeld, "Analysis of Bitcoin Pooled Mining Reward Systems"
 *   (2011, arXiv:1112.4980), §1.2 "Variance of solo mining" (the reward a
 *   solo miner receives)
 */
export function soloSplit(finder: string, reward: bigint): RewardSplit {
  if (finder === '') throw new LodeError('share', 'the block has no finder; SOLO pays the worker that submitted the block');
  checkReward(reward);
  return new Map([[finder, reward]]);
}
