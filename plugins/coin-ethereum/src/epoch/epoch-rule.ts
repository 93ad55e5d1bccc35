import { LodeError } from '@lode/plugin-api';
import type { EthashAlgo } from './ethash-algo';
import { ETC_ECIP1099_BLOCK } from './epoch-lengths';
import { etchashEpoch } from './etchash-epoch';
import { ethashEpoch } from './ethash-epoch';
import { seedEpochOf } from './seed-epoch-of';

/** The proof-of-work context of one block: what a job's EthashWork carries. */
export interface EpochContext {
  /** the algorithm the block is mined with ("ethash" before an ETChash chain's fork) */
  algo: EthashAlgo;
  /** the sizing epoch (cache and dataset sizes; `mining.set.epoch`) */
  epoch: number;
  /** keccak256 rounds of the seed hash */
  seedEpoch: number;
}

/**
 * A chain's epoch arithmetic: which algorithm, sizing epoch and seed epoch a
 * block height has.
 *
 * - ethash (`ethashRule`): epoch = seedEpoch = height / 30000;
 * - ETChash (`etchashRule(forkBlock)`): from the fork block on, epoch =
 *   height / 60000 and seedEpoch = 2 * epoch with algo "etchash"; before it,
 *   plain ethash (algo "ethash").
 *
 * @see facts/ethash.md §2.8
 */
export interface EpochRule {
  /** the chain's algorithm ("etchash" for an ETChash chain, even before its fork) */
  readonly algo: EthashAlgo;
  /** the ECIP-1099 fork block (ETChash only) */
  readonly forkBlock?: number;
  /** the sizing epoch of a block */
  epochOf(height: number): number;
  /** the seed epoch of a block */
  seedEpochOf(height: number): number;
  /** algorithm, epoch and seed epoch of a block */
  at(height: number): EpochContext;
}

/** The plain ethash rule (Ethereum, ETHW): 30000-block epochs, seed epoch = epoch. */
export const ethashRule: EpochRule = {
  algo: 'ethash',
  epochOf: ethashEpoch,
  seedEpochOf: ethashEpoch,
  at(height: number): EpochContext {
    const epoch = ethashEpoch(height);
    return { algo: 'ethash', epoch, seedEpoch: epoch };
  },
};

/**
 * The ETChash rule of a chain whose ECIP-1099 fork is at `forkBlock`.
 *
 * @param forkBlock ETC 11_700_000 (the default), Mordor 2_520_000, or a devnet's own
 * @throws LodeError('config') for a fork block that is not an integer >= 0
 * @example etchashRule().at(11_700_000) -> { algo: 'etchash', epoch: 195, seedEpoch: 390 }
 * @see facts/ethash.md §2.8
 */
export function etchashRule(forkBlock: number = ETC_ECIP1099_BLOCK): EpochRule {
  if (!Number.isSafeInteger(forkBlock) || forkBlock < 0) {
    throw new LodeError('config', `the ECIP-1099 fork block must be an integer >= 0, got ${String(forkBlock)}`);
  }
  const at = (height: number): EpochContext => {
    const epoch = etchashEpoch(height, forkBlock);
    const algo: EthashAlgo = height >= forkBlock ? 'etchash' : 'ethash';
    return { algo, epoch, seedEpoch: seedEpochOf(algo, epoch) };
  };
  return {
    algo: 'etchash',
    forkBlock,
    epochOf: (height) => etchashEpoch(height, forkBlock),
    seedEpochOf: (height) => at(height).seedEpoch,
    at,
  };
}
