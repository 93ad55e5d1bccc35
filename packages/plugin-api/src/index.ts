/* The coin plugin contract */
export { LODE_PLUGIN_API_VERSION } from './coin-plugin';
export type {
  BlockSubmitResult,
  CoinJob,
  CoinNode,
  CoinPlugin,
  CoinPluginManifest,
  CoinShareRejection,
  CoinTemplate,
  DialectWork,
  EpochHasher,
  EpochScanHit,
  EpochScanRequest,
  EpochScanResult,
  EthashWork,
  PowClaim,
  SeedWork,
  PowResult,
  JobContext,
  NativeHasher,
  ScanHit,
  ScanRequest,
  ScanResult,
  ShareSubmission,
  StratumV1Work,
  WarthogWork,
} from './coin-plugin';

/* DI tokens */
export { COIN_PLUGIN } from './tokens';

/* Errors plugins throw (re-exported so that a plugin needs only this package) */
export { LodeError } from '@lode/stratum-core';
export type { LodeErrorKind, LodeLogger } from '@lode/stratum-core';

/* Run-time discovery */
export { discoverPlugins } from './discovery/discover-plugins';
export type { DiscoverOptions, DiscoveredPlugin, LodeCoinPluginExport } from './discovery/discover-plugins';
export { loadPlugins, selectCoin } from './discovery/load-plugins';
export { PluginLoadError } from './discovery/plugin-load-error';
export type { PluginLoadFailure } from './discovery/plugin-load-error';
