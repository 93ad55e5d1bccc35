import type { ProxyDialect } from '../core/proxy-dialect';
import { connectEthUpstream } from './connect-eth-upstream';
import { EthProxyPort } from './eth-proxy-port';

/** The proxy's EthereumStratum/2.0.0 (EIP-1571) dialect: ethash and etchash, extranonce changes through `mining.set`. */
export const ethstratumDialect: ProxyDialect = {
  name: 'ethstratum',
  connect: connectEthUpstream,
  createPort: (context) => new EthProxyPort(context),
};

export { EthProxyPort } from './eth-proxy-port';
export { ETH_PROXY_NODE, EthProxyConnection } from './eth-proxy-connection';
export type { EthConnectionContext } from './eth-proxy-connection';
export { EthUpstreamLink } from './eth-upstream-link';
export type { EthUpstreamLinkOptions } from './eth-upstream-link';
export { connectEthUpstream } from './connect-eth-upstream';
export { seedEpochOf, toEthUpstreamJob } from './to-eth-upstream-job';
