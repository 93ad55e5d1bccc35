import { LodeError } from '@lode/stratum-core';

/** The proof-of-work a devnet chain is mined with. */
export type EthashAlgo = 'ethash' | 'etchash';

/** Blocks per ethash epoch (facts/ethash.md §2.1). */
export const ETHASH_EPOCH_LENGTH = 30_000;

/** Blocks per ETChash epoch from the ECIP-1099 block on (facts/ethash.md §2.8). */
export const ETCHASH_EPOCH_LENGTH = 60_000;

/** A chain's epoch rules: the algorithm and, for ETChash, the ECIP-1099 block. */
export interface EthashRules {
  algo: EthashAlgo;
  /** first block with 60000-block epochs (ETChash only; ETC mainnet 11_700_000, Mordor 2_520_000) */
  ecip1099Block: number;
}

/** The two epoch numbers of a block: sizes and seed. */
export interface EthashEpoch {
  /** the sizing epoch: light-cache and dataset sizes */
  epoch: number;
  /** how many times keccak256 is applied to 32 zero bytes for the seed hash */
  seedEpoch: number;
}

/**
 * The epochs of a block.
 *
 * - ethash: epoch = seedEpoch = floor(height / 30000).
 * - ETChash from `ecip1099Block` on: epoch = floor(height / 60000) and
 *   seedEpoch = 2 * epoch (the seed keeps counting 30000-block epochs, so
 *   ETChash epoch e shares its seed with ethash epoch 2e); before that block,
 *   plain ethash.
 *
 * @param height block number, a safe integer >= 0
 * @throws LodeError('config') for a height that is not a safe integer >= 0
 * @example ethashEpochAt(11_700_000, { algo: 'etchash', ecip1099Block: 11_700_000 }) -> { epoch: 195, seedEpoch: 390 }
 * @see facts/ethash.md §2.8 (ECIP-1099; core-geth `calcEpochBlock`, go-etchash `seedHash`)
 */
export function ethashEpochAt(height: number, rules: EthashRules): EthashEpoch {
  if (!Number.isSafeInteger(height) || height < 0) {
    throw new LodeError('config', `block height ${String(height)} is not an integer >= 0`);
  }
  if (rules.algo === 'etchash' && height >= rules.ecip1099Block) {
    const epoch = Math.floor(height / ETCHASH_EPOCH_LENGTH);
    return { epoch, seedEpoch: 2 * epoch };
  }
  const epoch = Math.floor(height / ETHASH_EPOCH_LENGTH);
  return { epoch, seedEpoch: epoch };
}

/**
 * The first block after `height` whose epochs differ from those of `height`
 * (the next epoch's first block; for ETChash before its fork, at most the fork block).
 *
 * @example nextEpochStart(29_999, { algo: 'ethash', ecip1099Block: 0 }) === 30_000
 */
export function nextEpochStart(height: number, rules: EthashRules): number {
  if (rules.algo === 'etchash' && height >= rules.ecip1099Block) {
    return (Math.floor(height / ETCHASH_EPOCH_LENGTH) + 1) * ETCHASH_EPOCH_LENGTH;
  }
  const next = (Math.floor(height / ETHASH_EPOCH_LENGTH) + 1) * ETHASH_EPOCH_LENGTH;
  return rules.algo === 'etchash' ? Math.min(next, rules.ecip1099Block) : next;
}

/** A stable key of an epoch pair, e.g. "195/390". */
export function epochKey(e: EthashEpoch): string {
  return `${e.epoch}/${e.seedEpoch}`;
}
