import type { ProxyPort, ProxyPortContext } from './proxy-port';
import type { ProxyDialectName } from './subdivision';
import type { UpstreamConnector } from './upstream-link';

/**
 * What the proxy needs from one dialect: how to open an upstream link, and
 * how to serve miners downstream. Each dialect folder (`src/bitcoin`,
 * `src/ethstratum`, `src/warthog`) exports one; the registry is
 * `src/dialects.ts` (core knows no dialect).
 */
export interface ProxyDialect {
  name: ProxyDialectName;
  /** opens, subscribes and authorizes one upstream connection */
  connect: UpstreamConnector;
  /** a downstream port for this dialect */
  createPort(context: ProxyPortContext): ProxyPort;
}
