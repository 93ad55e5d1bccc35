import { LodeError } from '@lode/plugin-api';

const TWO_256 = 2n ** 256n;

/**
 * The ethash difficulty a boundary stands for: floor(2^256 / boundary), as
 * open-ethereum-pool's `TargetHexToDiff` and core-geth read `eth_getWork[2]`.
 * The inverse of boundaryFromDifficulty for the boundaries it makes
 * (2^256 - 1 reads as 1).
 *
 * @param boundary a 256-bit boundary, in [1, 2^256 - 1]
 * @returns difficulty >= 1
 * @throws LodeError('protocol') for a boundary outside [1, 2^256 - 1]
 * @see facts/ethash.md §1.1, §4.8
 */
export function difficultyFromBoundary(boundary: bigint): bigint {
  if (typeof boundary !== 'bigint' || boundary < 1n || boundary >= TWO_256) {
    throw new LodeError('protocol', `an ethash boundary must be in [1, 2^256 - 1], got ${String(boundary)}`);
  }
  return TWO_256 / boundary;
}
