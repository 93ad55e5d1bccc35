import { LodeError } from '@lode/plugin-api';

/** What upstream returns when the exponent does not fit (difficulty >= 2^769). */
const SATURATED = 0xe00fffff;
const MANTISSA_MIN = 0x200000;
const MANTISSA_MAX = 0x3fffff;
const scratch = new DataView(new ArrayBuffer(8));

/**
 * The TargetV2 of a difficulty, bit for bit as upstream `TargetV2(double)`:
 *
 * 1. d < 1 counts as 1;
 * 2. d = coef · 2^exp with coef in [0.5, 1) (frexp), inv = 1 / coef;
 * 3. zeros = exp - 1; zeros >= 768 gives 0xe00fffff;
 * 4. digits = 0x3fffff when inv is 2 (d a power of two), else
 *    floor(inv · 2^21) clamped to [0x200000, 0x3fffff];
 * 5. raw = zeros << 22 | digits.
 *
 * It inverts the node's `difficulty`: 14142941042437.885 gives 0x0ae7cde7
 * back (block 1949766). This is what JANUSMINER meets for a share at
 * difficulty d; the pool compares with 2^256 / d instead, which differs by
 * less than 2^-21 relative (the mantissa here is rounded down).
 *
 * @param difficulty a finite number (below 1 counts as 1)
 * @returns uint32 TargetV2, e.g. 0x04a18def for 500000
 * @throws LodeError('protocol') for NaN or an infinite difficulty
 * @see facts/warthog.md §3.1, §6-D
 */
export function difficultyToTargetV2(difficulty: number): number {
  if (typeof difficulty !== 'number' || !Number.isFinite(difficulty)) {
    throw new LodeError('protocol', `difficulty must be a finite number, got ${String(difficulty)}`);
  }
  const d = difficulty < 1 ? 1 : difficulty;
  // frexp, exactly: d >= 1 is a normal double, so its biased exponent E gives
  // d = coef · 2^(E - 1022), and coef is d with its exponent field set to 1022.
  scratch.setFloat64(0, d);
  const high = scratch.getUint32(0);
  const exp = ((high >>> 20) & 0x7ff) - 1022;
  scratch.setUint32(0, (high & 0x800fffff) | (1022 << 20));
  const coef = scratch.getFloat64(0);
  const inv = 1 / coef;
  const zeros = exp - 1;
  if (zeros >= 768) return SATURATED;
  let digits: number;
  if (inv === 2) {
    digits = MANTISSA_MAX;
  } else {
    digits = Math.min(MANTISSA_MAX, Math.max(MANTISSA_MIN, Math.floor(inv * 2 ** 21)));
  }
  return zeros * 2 ** 22 + digits;
}
