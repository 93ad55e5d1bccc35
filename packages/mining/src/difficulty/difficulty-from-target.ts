import { LodeError } from '@lode/stratum-core';
import { assertDiff1Target } from './assert-diff1-target';

/**
 * The difficulty a target stands for: diff1Target / target, as a double.
 *
 * The quotient is taken in bigint with at least 64 significant bits before
 * the one rounding to double, so it is good to ~15-16 significant digits for
 * any target, tiny ones (huge difficulties) included.
 *
 * @param target 256-bit target (or a hash value: see shareDifficulty), > 0
 * @param diff1Target the coin's difficulty-1 target (Bitcoin: BITCOIN_DIFF1_TARGET)
 * @returns difficulty, > 0 (fractional when target > diff1Target)
 * @throws LodeError('protocol') if target <= 0 or diff1Target <= 0
 * @see facts/bitcoin-stratum.md "Targets"
 */
export function difficultyFromTarget(target: bigint, diff1Target: bigint): number {
  if (typeof target !== 'bigint' || target <= 0n) {
    throw new LodeError('protocol', `target must be a bigint > 0, got ${String(target)}`);
  }
  assertDiff1Target(diff1Target);
  // Hex length * 4 over-estimates bit length by at most 3, so +68 guarantees a
  // quotient of at least 2^64, well above the 53 bits a double keeps.
  const shift = Math.max(0, 68 + 4 * target.toString(16).length - 4 * diff1Target.toString(16).length);
  let result = Number((diff1Target << BigInt(shift)) / target);
  // Scale back in steps: 2 ** shift alone overflows past 2^1023.
  for (let left = shift; left > 0; left -= 1000) result /= 2 ** Math.min(left, 1000);
  return result;
}
