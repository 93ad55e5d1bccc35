import { LodeError } from '@lode/stratum-core';
import { assertDiff1Target } from './assert-diff1-target';
import { decimalFraction } from './decimal-fraction';
import { MAX_TARGET } from './max-target';

/**
 * Converts a share difficulty into the 256-bit target a hash must not exceed.
 *
 * target = floor(diff1Target * denominator / numerator), where
 * numerator/denominator is the decimal the user means: the shortest decimal JS
 * prints for `difficulty` (0.001 is exactly 1/1000, 1e-8 exactly 1/10^8), so
 * the result is exact, with no binary floating-point error. Fractional
 * difficulties are valid (small miners run far below 1).
 *
 * @param difficulty share difficulty, finite and > 0
 * @param diff1Target the coin's difficulty-1 target (Bitcoin: BITCOIN_DIFF1_TARGET)
 * @returns target clamped to [1, MAX_TARGET]
 * @throws LodeError('protocol') if difficulty is not a finite number > 0
 *   ("difficulty must be a finite number > 0, got -1") or diff1Target <= 0
 * @see facts/bitcoin-stratum.md "Targets" (difficulty 0.001 -> 000003e7fc18 then 52 zeros)
 * @see specs/000_f8fc60f969bbc43e.txt and DESIGN.md "Difficulty belongs to the job"
 */
export function targetFromDifficulty(difficulty: number, diff1Target: bigint): bigint {
  if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
    throw new LodeError('protocol', `difficulty must be a finite number > 0, got ${String(difficulty)}`);
  }
  assertDiff1Target(diff1Target);
  const { numerator, denominator } = decimalFraction(difficulty);
  const target = (diff1Target * denominator) / numerator;
  // A target of 0 would reject every hash, one above 2^256 - 1 does not fit the header maths.
  if (target < 1n) return 1n;
  return target > MAX_TARGET ? MAX_TARGET : target;
}
