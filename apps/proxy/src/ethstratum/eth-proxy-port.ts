import type { ProxyPortContext } from '../core/proxy-port';
import { ProxyStratumPort } from '../core/proxy-stratum-port';
import { EthProxyConnection } from './eth-proxy-connection';

/** The hello reply's `timeout` (the dialect's default): the dialect drops a miner silent this long, seconds. */
const HELLO_TIMEOUT_SECONDS = 180;

/**
 * One listening EthereumStratum/2.0.0 port of the proxy
 * (specs/003_fafafa51dc5fa36a.txt): each connection is an
 * {@link EthProxyConnection} (RpcPeer with the EIP-1571 codec +
 * EthStratumServerSession + a MinerSession from the subscription the router
 * picks). The hello reply announces plain encoding, no resume and a 180 s
 * timeout; the socket's idle timeout is a backstop behind it.
 */
export class EthProxyPort extends ProxyStratumPort<EthProxyConnection> {
  constructor(context: ProxyPortContext) {
    super(context, (conn, deps) => new EthProxyConnection(conn, deps), {
      // The dialect enforces the hello reply's timeout; this is the socket's backstop.
      idleTimeoutMs: Math.max(context.config.idleTimeoutSeconds, HELLO_TIMEOUT_SECONDS + 30) * 1000,
    });
  }
}
