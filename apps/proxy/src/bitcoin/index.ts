import type { ProxyDialect } from '../core/proxy-dialect';
import { BitcoinProxyPort } from './bitcoin-proxy-port';
import { connectBitcoinUpstream } from './connect-bitcoin-upstream';

/** The proxy's Stratum v1 (Bitcoin) dialect: BIP 310 version rolling, extranonce subscribe, set_extranonce. */
export const bitcoinDialect: ProxyDialect = {
  name: 'bitcoin',
  connect: connectBitcoinUpstream,
  createPort: (context) => new BitcoinProxyPort(context),
};

export { BitcoinProxyPort } from './bitcoin-proxy-port';
export { BitcoinProxyConnection } from './bitcoin-proxy-connection';
export type { BitcoinConnectionContext } from './bitcoin-proxy-connection';
export { BitcoinUpstreamLink, UPSTREAM_VERSION_MASK_REQUEST } from './bitcoin-upstream-link';
export type { BitcoinUpstreamLinkOptions } from './bitcoin-upstream-link';
export { connectBitcoinUpstream } from './connect-bitcoin-upstream';
export { coinbaseHeight } from './coinbase-height';
export { toNotifyParams } from './to-notify-params';
