import type { ProxyPortContext } from '../core/proxy-port';
import { ProxyStratumPort } from '../core/proxy-stratum-port';
import { WarthogProxyConnection } from './warthog-proxy-connection';

/**
 * One listening Warthog stratum port of the proxy
 * (specs/004_8dfd75be62003ef5.txt; facts/warthog.md §7): each connection is
 * a {@link WarthogProxyConnection} (RpcPeer with the classic codec +
 * WarthogServerSession + a MinerSession from the subscription the router picks).
 */
export class WarthogProxyPort extends ProxyStratumPort<WarthogProxyConnection> {
  constructor(context: ProxyPortContext) {
    super(context, (conn, deps) => new WarthogProxyConnection(conn, deps));
  }
}
