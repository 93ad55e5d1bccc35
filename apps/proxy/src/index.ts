/* The contract and the core (dialect-neutral) */
export * from './core';

/* Dialects */
export { proxyDialect, proxyDialects } from './dialects';
export type { ProxyDialect } from './core/proxy-dialect';
export { bitcoinDialect, BitcoinProxyConnection, BitcoinProxyPort, BitcoinUpstreamLink, connectBitcoinUpstream, coinbaseHeight } from './bitcoin';
export type { BitcoinUpstreamLinkOptions } from './bitcoin';
export { ethstratumDialect } from './ethstratum';
export { warthogDialect } from './warthog';

/* Configuration */
export { loadProxyConfig, parseProxyConfig } from './config/load-config';
export type { ProxyConfig, ProxyPortConfig, UpstreamConfig } from './config/proxy-config';
export { proxyConfigSchema } from './config/proxy-config.schema';

/* Composition */
export { startProxy } from './composition/start-proxy';
export type { RunningProxy } from './composition/start-proxy';

/* Logging */
export { createLogger, formatPretty } from './logging/create-logger';

/* Stats API */
export { startStatsApi } from './api/start-stats-api';
export type { RunningStatsApi, StatsApiOptions, StatsApiSources } from './api/start-stats-api';
