import type { ProxyDialect } from '../core/proxy-dialect';
import { connectWarthogUpstream } from './connect-warthog-upstream';
import { WarthogProxyPort } from './warthog-proxy-port';

/** The proxy's Warthog stratum dialect: Janushash, targets of 1/difficulty, miners moved by `client.reconnect`. */
export const warthogDialect: ProxyDialect = {
  name: 'warthog',
  connect: connectWarthogUpstream,
  createPort: (context) => new WarthogProxyPort(context),
};

export { WarthogProxyPort } from './warthog-proxy-port';
export { WarthogProxyConnection } from './warthog-proxy-connection';
export type { WarthogConnectionContext } from './warthog-proxy-connection';
export { WarthogUpstreamLink } from './warthog-upstream-link';
export type { WarthogUpstreamLinkOptions } from './warthog-upstream-link';
export { connectWarthogUpstream } from './connect-warthog-upstream';
export { toWarthogUpstreamJob } from './to-warthog-upstream-job';
