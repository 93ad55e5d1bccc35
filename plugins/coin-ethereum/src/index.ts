import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { ethereumPluginModule } from './plugin/ethereum-plugin-module';

/* Discovery entry: the loader looks for this export (DESIGN.md "Plugins and discovery") */
/**
 * What the plugin loader reads: the plugin API version this package was
 * written against and the ContainerModule that binds the "eth" and "etc"
 * CoinPlugins.
 */
export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION, module: ethereumPluginModule };

/* The plugin */
export { EthereumCoinPlugin } from './plugin/ethereum-coin-plugin';
export { ethereumPluginModule } from './plugin/ethereum-plugin-module';
export { ETC_COIN, ETH_COIN } from './plugin/ethereum-coin-profile';
export type { EthereumCoinProfile } from './plugin/ethereum-coin-profile';
export {
  DEFAULT_EXTRANONCE_BYTES,
  MAX_EXTRANONCE_BYTES,
  etcPluginConfigSchema,
  ethPluginConfigSchema,
  parseEthereumPluginConfig,
} from './plugin/ethereum-plugin-config';
export type { EthereumPluginConfig } from './plugin/ethereum-plugin-config';

/* Boundaries: difficulty d <-> 2^256 / d */
export { ETHASH_DIFF1_TARGET } from './boundary/ethash-diff1-target';
export { boundaryFromDifficulty } from './boundary/boundary-from-difficulty';
export { difficultyFromBoundary } from './boundary/difficulty-from-boundary';
export { boundaryToHex } from './boundary/boundary-to-hex';
export { parseBoundary } from './boundary/parse-boundary';

/* Epochs: ethash and ETChash (ECIP-1099) */
export {
  ETCHASH_EPOCH_LENGTH,
  ETC_ECIP1099_BLOCK,
  ETHASH_EPOCH_LENGTH,
  MORDOR_ECIP1099_BLOCK,
} from './epoch/epoch-lengths';
export type { EthashAlgo } from './epoch/ethash-algo';
export { ethashEpoch } from './epoch/ethash-epoch';
export { etchashEpoch } from './epoch/etchash-epoch';
export { seedEpochOf } from './epoch/seed-epoch-of';
export { etchashRule, ethashRule } from './epoch/epoch-rule';
export type { EpochContext, EpochRule } from './epoch/epoch-rule';

/* Epoch contexts: light caches and datasets (the plugins' epochHasher) */
export { EthashContexts } from './epoch/ethash-contexts';
export type {
  EthashContextsOptions,
  EthashContextsScanResult,
  EthashHashResult,
  EthashSizes,
  PrepareOptions,
} from './epoch/ethash-contexts';

/* Node: eth_getWork / eth_submitWork over JSON-RPC, the template stream */
export { EthereumNode } from './node/ethereum-node';
export type { EthereumNodeOptions } from './node/ethereum-node';
export { toCoinTemplate } from './node/to-coin-template';
export { parseEthTemplateRaw } from './node/eth-template-raw';
export type { EthTemplateRaw } from './node/eth-template-raw';
export { EthRpcClient } from './rpc/eth-rpc-client';
export type { EthRpcCallOptions, EthRpcOptions } from './rpc/eth-rpc-client';
export type { EthWork } from './rpc/eth-work';

/* Native ethash (napi-rs addon) */
export * from './native';
