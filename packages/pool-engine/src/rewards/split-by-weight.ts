import { LodeError } from '@lode/stratum-core';
import type { RewardSplit } from './reward-split';

/**
 * Splits `reward` in proportion to integer weights, in integers, so that the
 * parts sum exactly to the reward. Internal to the reward splits.
 *
 * Rounding rule: each worker gets floor(reward * weight / total); the
 * remainder (fewer smallest units than there are workers) goes to the worker
 * with the largest weight, and on a tie to the name that sorts first
 * (UTF-16 code unit order), so the result does not depend on input order.
 *
 * @param weights worker -> weight >= 0n, in the order to keep
 * @param reward smallest units, >= 0n
 * @param what what the weights come from, for the error message
 * @throws LodeError('share') when the weights sum to 0 (nothing to split by)
 */
export function splitByWeight(weights: ReadonlyMap<string, bigint>, reward: bigint, what: string): RewardSplit {
  let total = 0n;
  let largest: string | undefined;
  for (const [worker, weight] of weights) {
    total += weight;
    const best = largest === undefined ? -1n : (weights.get(largest) as bigint);
    if (weight > best || (weight === best && largest !== undefined && worker < largest)) largest = worker;
  }
  if (total === 0n || largest === undefined) {
    throw new LodeError('share', `${what} holds no credited difficulty; a reward is split over a total > 0`);
  }
  const split: RewardSplit = new Map();
  let paid = 0n;
  for (const [worker, weight] of weights) {
    if (weight === 0n) continue;
    const amount = (reward * weight) / total;
    split.set(worker, amount);
    paid += amount;
  }
  split.set(largest, (split.get(largest) as bigint) + (reward - paid));
  return split;
}
