import type { ProxyPortContext } from '../core/proxy-port';
import { ProxyStratumPort } from '../core/proxy-stratum-port';
import { BitcoinProxyConnection } from './bitcoin-proxy-connection';

/**
 * One listening Stratum v1 port of the proxy: each connection is a
 * {@link BitcoinProxyConnection} (RpcPeer + BitcoinServerSession + a
 * MinerSession from the subscription the router picks).
 */
export class BitcoinProxyPort extends ProxyStratumPort<BitcoinProxyConnection> {
  constructor(context: ProxyPortContext) {
    super(context, (conn, deps) => new BitcoinProxyConnection(conn, deps));
  }
}
