import { LodeError } from '@lode/plugin-api';
import type { EthashAlgo } from './ethash-algo';

/**
 * How many keccak256 rounds over 32 zero bytes give the seed hash of a
 * sizing epoch: `epoch` for ethash, `2 * epoch` for ETChash (its seed keeps
 * the 30000-block count: core-geth `SeedHash(calcEpochBlock(epoch, 60000))`).
 *
 * Only for ETChash epochs proper, i.e. blocks at or after the fork: before
 * the fork an ETChash chain is plain ethash, and its work says `algo:
 * "ethash"` (see EpochRule.at).
 *
 * @param algo the algorithm the epoch is counted in
 * @param epoch the sizing epoch, an integer >= 0
 * @throws LodeError('protocol') for an epoch that is not an integer >= 0
 * @see facts/ethash.md §0 (3), §2.3, §2.8
 */
export function seedEpochOf(algo: EthashAlgo, epoch: number): number {
  if (!Number.isSafeInteger(epoch) || epoch < 0) {
    throw new LodeError('protocol', `epoch must be an integer >= 0, got ${String(epoch)}`);
  }
  return algo === 'etchash' ? 2 * epoch : epoch;
}
