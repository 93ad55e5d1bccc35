/* The contract every dialect implements */
export type {
  UpstreamConnector,
  UpstreamEndpoint,
  UpstreamJob,
  UpstreamLink,
  UpstreamShare,
  UpstreamVerdict,
} from './upstream-link';

/* Extranonce subdivision */
export { MINER_EXTRANONCE2_BYTES, suffixBytes } from './subdivision';
export type { ProxyDialectName } from './subdivision';

/* One upstream subscription: plugin, node, engine */
export {
  BITCOIN_NTIME_FUTURE_SECONDS,
  BITCOIN_NTIME_PAST_SECONDS,
  ProxyCoinPlugin,
  WARTHOG_NTIME_FUTURE_SECONDS,
} from './proxy-coin-plugin';
export type { ForwardedShareJson, ProxyCoinPluginOptions } from './proxy-coin-plugin';
export { UpstreamNode } from './upstream-node';
export type { ForwardCounters, ForwardObserver } from './upstream-node';
export { Subscription } from './subscription';
export type { SubscriptionOptions, UpstreamMetrics } from './subscription';
export type { OpenedSession } from './opened-session';

/* Upstream groups and routing */
export { UpstreamGroup } from './upstream-group';
export type { UpstreamDefinition, UpstreamGroupEvent, UpstreamGroupOptions } from './upstream-group';
export { Router } from './router';
export type { RouterOptions } from './router';
export type { DownstreamMiner } from './downstream-miner';

/* Ports (the dialect registry is src/dialects.ts: core knows no dialect) */
export type { ProxyDialect } from './proxy-dialect';
export type { MinerSnapshot, ProxyPort, ProxyPortContext, ProxyPortCounters } from './proxy-port';
export { ProxyStratumPort } from './proxy-stratum-port';
export type { ProxyConnection, ProxyConnectionContext } from './proxy-stratum-port';
export { sessionOptionsFor } from './session-options';
export type { SubscriptionSnapshot, UpstreamSnapshot } from './upstream-snapshot';
