import { LodeError } from '@lode/stratum-core';
import { exactDifficulties } from './exact-difficulties';
import type { RewardShare } from './reward-share';
import type { RewardSplit } from './reward-split';
import { checkReward } from './check-reward';
import { splitByWeight } from './split-by-weight';

/**
 * PPLNS (pay per last N shares): the reward of a block is divided among the
 * last N units of difficulty submitted before it, whatever round they fell
 * in. Walking back from the newest share, shares are counted until their
 * difficulty fills the window; the share that crosses the boundary counts
 * only for the part that fits, so exactly N is covered. When the whole
 * history holds less than N, all of it is counted. Each worker then receives
 * reward * (its difficulty in the window) / (difficulty in the window).
 *
 * Arithmetic is exact (difficulties and N are turned into integers on one
 * common scale). Rounding rule: floor per worker, the remainder (< number of
 * workers, in smallest units) to the worker with the largest difficulty in
 * the window, ties to the name that sorts first; so the amounts sum exactly
 * to `reward`.
 *
 * @param sharesNewestLast accepted shares in the order they were submitted,
 *   the newest (usually the block's own share) last; difficulty is credited
 *   difficulty, finite and >= 0
 * @param reward block reward in the coin's smallest unit (satoshis), >= 0n
 * @param windowDifficulty N, in difficulty units (N shares of difficulty 1),
 *   finite and > 0
 * @returns worker -> amount, summing to `reward`, in the order the workers
 *   are met walking back from the newest share
 * @throws LodeError('config') when windowDifficulty is not finite and > 0 or
 *   `reward` is negative; LodeError('share') when a difficulty is negative or
 *   not finite, or the shares hold no difficulty at all
 * @see Meni Rosenfeld, "Analysis of Bitcoin Pooled Mining Reward Systems"
 *   (2011, arXiv:1112.4980), §3.3 "Pay-per-last-N-shares (PPLNS)" and §7.5
 *   "Variable difficulty shares" (a share of difficulty d is d shares of
 *   difficulty 1, so the boundary can cut one share)
 */
export function pplnsSplit(sharesNewestLast: readonly RewardShare[], reward: bigint, windowDifficulty: number): RewardSplit {
  if (!Number.isFinite(windowDifficulty) || windowDifficulty <= 0) {
    throw new LodeError('config', `PPLNS window N is ${windowDifficulty}; it must be a finite difficulty > 0`);
  }
  checkReward(reward);
  const exact = exactDifficulties([windowDifficulty, ...sharesNewestLast.map((s) => s.difficulty)], 'window share');
  let room = exact[0];
  const weights = new Map<string, bigint>();
  for (let i = sharesNewestLast.length - 1; i >= 0 && room > 0n; i--) {
    const d = exact[i + 1];
    const counted = d < room ? d : room;
    const worker = sharesNewestLast[i].worker;
    weights.set(worker, (weights.get(worker) ?? 0n) + counted);
    room -= counted;
  }
  return splitByWeight(weights, reward, 'the PPLNS window');
}
