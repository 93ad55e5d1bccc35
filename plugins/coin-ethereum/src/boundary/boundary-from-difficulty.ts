import { LodeError } from '@lode/plugin-api';

const TWO_256 = 2n ** 256n;

/**
 * The boundary (target) of an ethash difficulty: floor(2^256 / difficulty),
 * the value a final hash, read big-endian, must not exceed.
 *
 * Difficulties 0 and 1 give 2^256 - 1 (every hash), as chfast/ethash's
 * `ethash_difficulty_to_boundary` and the rust ethash crate's `cross_boundary`
 * do: 2^256 itself does not fit 32 bytes.
 *
 * @param difficulty an integer >= 0 (a bigint, or a safe-integer number)
 * @returns boundary in [1, 2^256 - 1]
 * @throws LodeError('protocol') for a negative or non-integer difficulty
 * @see facts/ethash.md §2.6 (go-ethereum `two256 / difficulty`), §4.8
 */
export function boundaryFromDifficulty(difficulty: bigint | number): bigint {
  let d: bigint;
  if (typeof difficulty === 'bigint') {
    d = difficulty;
  } else if (typeof difficulty === 'number' && Number.isSafeInteger(difficulty)) {
    d = BigInt(difficulty);
  } else {
    throw new LodeError('protocol', `ethash difficulty must be an integer >= 0, got ${String(difficulty)}`);
  }
  if (d < 0n) throw new LodeError('protocol', `ethash difficulty must be an integer >= 0, got ${d}`);
  if (d <= 1n) return TWO_256 - 1n;
  return TWO_256 / d;
}
