import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { warthogPluginModule } from './plugin/warthog-plugin-module';

/* Discovery entry: the loader looks for this export (DESIGN.md "Plugins and discovery") */
/**
 * What the plugin loader reads: the plugin API version this package was
 * written against and the ContainerModule that binds the "wart" CoinPlugin.
 */
export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION, module: warthogPluginModule };

/* The plugin */
export { WarthogCoinPlugin } from './plugin/warthog-coin-plugin';
export type { WarthogCoinPluginOptions } from './plugin/warthog-coin-plugin';
export { warthogPluginModule } from './plugin/warthog-plugin-module';
export { isWarthogJob, warthogWorkOf } from './plugin/warthog-job';
export type { WarthogJob, WarthogJobData } from './plugin/warthog-job';
export {
  DEFAULT_EXTRANONCE1_BYTES,
  DEFAULT_NTIME_FUTURE_SECONDS,
  MAX_EXTRANONCE1_BYTES,
  MIN_EXTRANONCE1_BYTES,
  parseWarthogPluginConfig,
  warthogPluginConfigSchema,
} from './plugin/warthog-plugin-config';
export type { WarthogPluginConfig } from './plugin/warthog-plugin-config';

/* The hasher: Janushash on the native addon */
export { createWarthogHasher } from './hasher/warthog-hasher';
export type { WarthogHasher, WarthogHasherImplementation, WarthogHasherOptions, WarthogScanResult } from './hasher/warthog-hasher';

/* Targets: TargetV2 <-> difficulty <-> 256-bit target (2^256 / difficulty) */
export { WARTHOG_DIFF1_TARGET } from './target-v2/warthog-diff1-target';
export { decodeTargetV2 } from './target-v2/decode-target-v2';
export type { DecodedTargetV2 } from './target-v2/decode-target-v2';
export { targetV2ToDifficulty } from './target-v2/target-v2-to-difficulty';
export { difficultyToTargetV2 } from './target-v2/difficulty-to-target-v2';
export { targetV2ToBigint } from './target-v2/target-v2-to-bigint';

/* Header and merkle root */
export { WARTHOG_EXTRANONCE_BYTES, warthogMerkleRoot } from './merkle/warthog-merkle-root';
export { WARTHOG_HEADER_BYTES, serializeWarthogHeader } from './header/serialize-warthog-header';
export { parseWarthogHeader } from './header/parse-warthog-header';
export { buildWarthogHeader } from './header/build-warthog-header';
export type { WarthogHeaderFields } from './header/warthog-header-fields';
export { sha256d } from './hash/sha256d';

/* Addresses */
export { isWarthogAddress, parseWarthogAddress } from './address/parse-warthog-address';

/* Node: the HTTP API, the template stream */
export { WarthogNode } from './node/warthog-node';
export type { WarthogNodeOptions } from './node/warthog-node';
export { toCoinTemplate } from './node/to-coin-template';
export { parseWarthogTemplateRaw } from './node/warthog-template-raw';
export type { WarthogTemplateRaw } from './node/warthog-template-raw';
export { WarthogRpcClient } from './rpc/warthog-rpc-client';
export type { WarthogRpcCallOptions, WarthogRpcOptions } from './rpc/warthog-rpc-client';
export type { WarthogMiningState } from './rpc/warthog-mining-state';
export type { WarthogChainHead } from './rpc/warthog-chain-head';
export type { WarthogAppendRequest } from './rpc/warthog-append-request';

/* Native Janushash (napi-rs addon) */
export * from './native';
