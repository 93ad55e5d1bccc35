import { ETH_DIALECT_NAMES, ETH_DIALECT_SCHEMES, type EthDialect } from '@lode/dialect-ethstratum';
import { parseStratumUrl } from '@lode/stratum-core';

/**
 * The Ethereum dialect a pool URL asks for, by its scheme as ethminer names
 * them (facts/ethash.md §1.5; ethereum-mining/ethminer `PoolURI.cpp`):
 *
 * | scheme | dialect |
 * |---|---|
 * | `stratum+tcp` / `+ssl` / `+tls` | `plain` (ethminer's mode 0) |
 * | `stratum1+…` | `ethproxy` (EthProxy, `eth_submitLogin`) |
 * | `stratum2+…` | `es1` (NiceHash EthereumStratum/1.0.0) |
 * | `stratum3+…` | `es2` (EthereumStratum/2.0.0, EIP-1571) |
 *
 * @throws LodeError('config') for a URL parseStratumUrl refuses
 */
export function ethDialectOfUrl(url: string): EthDialect {
  const { scheme } = parseStratumUrl(url);
  const prefix = scheme.slice(0, scheme.indexOf('+'));
  switch (prefix) {
    case 'stratum1':
      return 'ethproxy';
    case 'stratum2':
      return 'es1';
    case 'stratum3':
      return 'es2';
    default:
      return 'plain';
  }
}

/** How the miner names a dialect at start: "EthProxy (stratum1)", "EthereumStratum/2.0.0 (stratum3)". */
export function describeEthDialect(dialect: EthDialect): string {
  return `${ETH_DIALECT_NAMES[dialect]} (${ETH_DIALECT_SCHEMES[dialect]})`;
}
