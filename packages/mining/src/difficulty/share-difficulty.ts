import { difficultyFromTarget } from './difficulty-from-target';
import { hashToBigInt } from './hash-to-big-int';

/**
 * The difficulty a hash achieved: diff1Target / hashValue, where hashValue is
 * the hash read as Bitcoin compares it (hashToBigInt). A share meets
 * difficulty D when shareDifficulty >= D, i.e. hashValue <= target(D) (up to
 * the floor in targetFromDifficulty: compare bigints for the verdict, use
 * this number for display and statistics).
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
  const value = hashToBigInt(hash);
  return difficultyFromTarget(value === 0n ? 1n : value, diff1Target);
}
