import { exactDifficulties } from './exact-difficulties';
import type { RewardShare } from './reward-share';
import type { RewardSplit } from './reward-split';
import { checkReward } from './check-reward';
import { splitByWeight } from './split-by-weight';

/**
 * PROP (proportional): the reward of a block is divided among the shares of
 * the round that found it (every accepted share since the previous block of
 * the pool), each worker receiving reward * (its difficulty in the round) /
 * (the round's total difficulty).
 *
 * Arithmetic is exact (difficulties are turned into integers on one common
 * scale, no float rounding). Rounding rule: floor per worker, the remainder
 * (< number of workers, in smallest units) to the worker with the largest
 * difficulty in the round, ties to the name that sorts first; so the amounts
 * sum exactly to `reward`.
 *
 * @param roundShares accepted shares of the round, any order (one entry per
 *   worker with its round total works the same); difficulty is credited
 *   difficulty, finite and >= 0
 * @param reward block reward in the coin's smallest unit (satoshis), >= 0n
 * @returns worker -> amount, summing to `reward`
 * @throws LodeError('share') when a difficulty is negative or not finite, or
 *   when the round holds no difficulty at all; LodeError('config') when
 *   `reward` is negative
 * @see Meni Rosenfeld, "Analysis of Bitcoin Pooled Mining Reward Systems"
 *   (2011, arXiv:1112.4980), §2.1 "Proportional"; §7.5 for shares weighted by
 *   difficulty
 */
export function propSplit(roundShares: readonly RewardShare[], reward: bigint): RewardSplit {
  checkReward(reward);
  const exact = exactDifficulties(
    roundShares.map((s) => s.difficulty),
    'round share',
  );
  const weights = new Map<string, bigint>();
  roundShares.forEach((s, i) => weights.set(s.worker, (weights.get(s.worker) ?? 0n) + exact[i]));
  return splitByWeight(weights, reward, 'the round');
}
