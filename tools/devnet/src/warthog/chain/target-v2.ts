import { LodeError } from '@lode/stratum-core';

/** The TargetV2 that `difficultyToTargetV2` gives for difficulties of 2^768 and above. */
const SATURATED = 0xe00fffff;

/**
 * Encodes a block difficulty as Warthog's 4-byte TargetV2 (10-bit zeros,
 * 22-bit mantissa), as upstream `TargetV2(double)`: d < 1 counts as 1;
 * d = coef * 2^exp (frexp); zeros = exp - 1; digits = floor(2^21 / coef)
 * clamped to [0x200000, 0x3fffff] (0x3fffff for powers of two).
 *
 * This is the devnet's own encoding, independent of `@lode/coin-warthog`, so
 * that the devnet checks the pool's maths instead of sharing it.
 *
 * @param difficulty finite and > 0 (fractions are fine)
 * @returns the raw uint32, as bytes 32..36 of the header read big-endian
 * @throws LodeError('config') when difficulty is not finite and > 0
 * @see facts/warthog.md §3.1, vectors §6-D
 */
export function targetV2FromDifficulty(difficulty: number): number {
  if (!(Number.isFinite(difficulty) && difficulty > 0)) {
    throw new LodeError('config', `difficulty ${difficulty} is not a finite number > 0`);
  }
  const d = Math.max(difficulty, 1);
  let exp = Math.floor(Math.log2(d)) + 1;
  // Math.log2 may be off by one near powers of two: settle exp so that d / 2^exp is in [0.5, 1)
  while (d >= 2 ** exp) exp++;
  while (d < 2 ** (exp - 1)) exp--;
  const zeros = exp - 1;
  if (zeros >= 768) return SATURATED;
  const inv = 2 ** exp / d;
  const digits = inv === 2 ? 0x3fffff : Math.min(0x3fffff, Math.max(0x200000, Math.floor(inv * 2 ** 21)));
  return zeros * 2 ** 22 + digits;
}

/**
 * The difficulty a TargetV2 stands for: 2^(zeros10 + 22) / bits22, i.e. 1/τ
 * (upstream `TargetV2::difficulty()`).
 *
 * @param targetV2 the raw uint32 (header bytes 32..36, big-endian)
 * @see facts/warthog.md §3.1
 */
export function difficultyFromTargetV2(targetV2: number): number {
  const zeros = Math.floor(targetV2 / 2 ** 22);
  const bits22 = targetV2 % 2 ** 22;
  return 2 ** (zeros + 22) / bits22;
}

/** 8 hex digits of a TargetV2, header byte order ("003fffff"). */
export function targetV2Hex(targetV2: number): string {
  return targetV2.toString(16).padStart(8, '0');
}
