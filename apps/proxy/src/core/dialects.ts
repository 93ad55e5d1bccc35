import { LodeError } from '@lode/stratum-core';
import { bitcoinDialect } from '../bitcoin';
import { ethstratumDialect } from '../ethstratum';
import { warthogDialect } from '../warthog';
import type { ProxyPort, ProxyPortContext } from './proxy-port';
import type { ProxyDialectName } from './subdivision';
import type { UpstreamConnector } from './upstream-link';

/**
 * What the proxy needs from one dialect: how to open an upstream link, and
 * how to serve miners downstream. Each dialect folder (`src/bitcoin`,
 * `src/ethstratum`, `src/warthog`) exports one.
 */
export interface ProxyDialect {
  name: ProxyDialectName;
  /** opens, subscribes and authorizes one upstream connection */
  connect: UpstreamConnector;
  /** a downstream port for this dialect */
  createPort(context: ProxyPortContext): ProxyPort;
}

/** The dialects this build of the proxy speaks, by name. */
export const proxyDialects: ReadonlyMap<ProxyDialectName, ProxyDialect> = new Map<ProxyDialectName, ProxyDialect>([
  ['bitcoin', bitcoinDialect],
  ['ethstratum', ethstratumDialect],
  ['warthog', warthogDialect],
]);

/**
 * The dialect of a port or an upstream.
 *
 * @throws LodeError('config') naming the dialects available
 */
export function proxyDialect(name: ProxyDialectName): ProxyDialect {
  const dialect = proxyDialects.get(name);
  if (dialect === undefined) {
    throw new LodeError('config', `the proxy does not speak ${name} yet (available: ${[...proxyDialects.keys()].join(', ')})`);
  }
  return dialect;
}
