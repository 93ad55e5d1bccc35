import { LodeError } from '@lode/plugin-api';
import { ETHASH_EPOCH_LENGTH } from './epoch-lengths';

/**
 * The ethash epoch of a block: floor(height / 30000). It sizes the light
 * cache and the dataset and, for ethash, counts the seed's keccak256 rounds.
 *
 * @param height block number, a safe integer >= 0
 * @throws LodeError('protocol') for anything else
 * @see facts/ethash.md §2.1, §2.2, §2.3
 */
export function ethashEpoch(height: number): number {
  assertHeight(height);
  return Math.floor(height / ETHASH_EPOCH_LENGTH);
}

/** Throws LodeError('protocol') unless `height` is a safe integer >= 0. Internal. */
export function assertHeight(height: number, what = 'block height'): void {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new LodeError('protocol', `${what} must be an integer >= 0, got ${String(height)}`);
  }
}
