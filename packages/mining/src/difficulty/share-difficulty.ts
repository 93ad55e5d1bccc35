import { assertDiff1Target } from './assert-diff1-target';
import { hashToNumber } from './hash-to-number';

/** The last diff1Target seen and its double: one coin per caller in practice. */
let lastDiff1: bigint | undefined;
let lastDiff1Number = 0;

/**
 * The difficulty a hash achieved: diff1Target / hashValue, where hashValue is
 * the hash read as Bitcoin compares it (hashToBigInt). A share meets
 * difficulty D when shareDifficulty >= D, i.e. hashValue <= target(D) (up to
 * the floor in targetFromDifficulty: decide with hashAtMostTarget or bigints,
 * use this number for display and statistics).
 *
 * Computed on doubles, without bigint: Number(diff1Target) / hashToNumber(hash),
 * within a relative 1e-15 of the exact quotient (three roundings of 2^-53 at
 * most), where difficultyFromTarget(hashToBigInt(hash)) rounds once.
 *
 * An all-zero hash is read as 1 so the result stays finite.
 *
 * @param hash 32 bytes in hash (internal) order
 * @param diff1Target the coin's difficulty-1 target (Bitcoin: BITCOIN_DIFF1_TARGET)
 * @returns difficulty > 0
 * @throws LodeError('protocol') if hash is not 32 bytes or diff1Target <= 0
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1 and "Targets"
 */
export function shareDifficulty(hash: Uint8Array, diff1Target: bigint): number {
  const value = hashToNumber(hash);
  if (diff1Target !== lastDiff1) {
    assertDiff1Target(diff1Target);
    lastDiff1Number = Number(diff1Target);
    lastDiff1 = diff1Target;
  }
  return lastDiff1Number / (value === 0 ? 1 : value);
}
