import { hashToBigInt } from './hash-to-big-int';
import { hashToNumber } from './hash-to-number';

/**
 * Relative margin around the target inside which the double comparison is
 * not trusted and the bigint one decides. Both doubles are within 2^-52 of
 * the numbers they stand for (hashToNumber; Number(bigint) rounds to
 * nearest), so 1e-9 leaves a factor of ~4.5e6 to spare; a hash falls inside
 * it about once in 10^9.
 */
const MARGIN = 1e-9;

/**
 * True when the hash, read as Bitcoin reads it (hashToBigInt), is <= target:
 * the share (or block) check. Exact, as `hashToBigInt(hash) <= target`, but
 * decided on doubles (hashToNumber, Number(target)) unless the two lie
 * within a relative 1e-9 of each other, where it compares the bigints.
 *
 * @param hash 32 bytes in hash (internal) order
 * @param target any bigint (a negative one is met by no hash; one >= 2^256 by every hash)
 * @throws LodeError('protocol') if hash is not 32 bytes
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1 and "Targets"
 */
export function hashAtMostTarget(hash: Uint8Array, target: bigint): boolean {
  const value = hashToNumber(hash);
  // not reachable from typed code; compared as `<=` would
  if (typeof target !== 'bigint') return hashToBigInt(hash) <= target;
  const t = Number(target);
  const slack = Math.abs(t) * MARGIN;
  if (value * (1 + MARGIN) < t - slack) return true;
  if (value * (1 - MARGIN) > t + slack) return false;
  return hashToBigInt(hash) <= target;
}
