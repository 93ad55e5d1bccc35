import { LodeError } from '@lode/stratum-core';
import { bitcoinDialect } from './bitcoin';
import type { ProxyDialect } from './core/proxy-dialect';
import type { ProxyDialectName } from './core/subdivision';
import { ethstratumDialect } from './ethstratum';
import { warthogDialect } from './warthog';

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
