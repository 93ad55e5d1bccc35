import { ETCHASH_EPOCH_LENGTH, ETHASH_EPOCH_LENGTH } from './epoch-lengths';
import { assertHeight } from './ethash-epoch';

/**
 * The sizing epoch of an ETChash chain's block (ECIP-1099): floor(height /
 * 60000) at and after the fork block, floor(height / 30000) before it (the
 * chain was plain ethash then).
 *
 * @param height block number, a safe integer >= 0
 * @param forkBlock the chain's ECIP-1099 block (ETC 11_700_000, Mordor 2_520_000)
 * @throws LodeError('protocol') for a height or fork block that is not an integer >= 0
 * @example etchashEpoch(11_700_000, 11_700_000) === 195; etchashEpoch(11_699_999, 11_700_000) === 389
 * @see facts/ethash.md §2.8
 */
export function etchashEpoch(height: number, forkBlock: number): number {
  assertHeight(height);
  assertHeight(forkBlock, 'ECIP-1099 fork block');
  return Math.floor(height / (height >= forkBlock ? ETCHASH_EPOCH_LENGTH : ETHASH_EPOCH_LENGTH));
}
