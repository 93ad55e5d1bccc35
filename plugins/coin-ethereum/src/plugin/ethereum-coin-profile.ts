import type { EthashAlgo } from '../epoch/ethash-algo';

/** What tells the two Ethereum coins apart. */
export interface EthereumCoinProfile {
  /** coin id */
  readonly id: 'eth' | 'etc';
  /** display name */
  readonly name: string;
  /** the chain's algorithm (ETC: "etchash", even though blocks before its ECIP-1099 fork were plain ethash) */
  readonly algorithm: EthashAlgo;
}

/**
 * Ethereum-style ethash chains (30000-block epochs): Ethereum's test vectors,
 * ETHW and other ethash chains, devnets.
 *
 * @see facts/ethash.md §2.10
 */
export const ETH_COIN: EthereumCoinProfile = { id: 'eth', name: 'Ethereum (ethash)', algorithm: 'ethash' };

/**
 * Ethereum Classic: ETChash (ECIP-1099) from `ecip1099Block` on (11_700_000
 * on mainnet, 2_520_000 on Mordor), plain ethash before it.
 *
 * @see facts/ethash.md §2.8
 */
export const ETC_COIN: EthereumCoinProfile = { id: 'etc', name: 'Ethereum Classic (ETChash)', algorithm: 'etchash' };
