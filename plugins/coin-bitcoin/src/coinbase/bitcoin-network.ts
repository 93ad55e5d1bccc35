import { networks, type Network } from 'bitcoinjs-lib';

/** The chains the plugin knows, as named in its config section. */
export type BitcoinNetworkName = 'mainnet' | 'testnet' | 'regtest' | 'signet';

/** Every BitcoinNetworkName, in config-schema order. */
export const BITCOIN_NETWORK_NAMES: readonly BitcoinNetworkName[] = ['mainnet', 'testnet', 'regtest', 'signet'];

/**
 * bitcoinjs-lib's address parameters for a chain. Signet shares testnet's
 * address prefixes (base58 0x6f/0xc4, bech32 "tb"), and bitcoinjs-lib has no
 * signet entry of its own.
 */
export function bitcoinjsNetwork(name: BitcoinNetworkName): Network {
  switch (name) {
    case 'mainnet':
      return networks.bitcoin;
    case 'testnet':
    case 'signet':
      return networks.testnet;
    case 'regtest':
      return networks.regtest;
  }
}
