import { LODE_PLUGIN_API_VERSION } from '@lode/plugin-api';
import { bitcoinPluginModule } from './plugin/bitcoin-plugin-module';

/* Discovery entry: the loader looks for this export (DESIGN.md "Plugins and discovery") */
/**
 * What the plugin loader reads: the plugin API version this package was
 * written against and the ContainerModule that binds the "btc" CoinPlugin.
 */
export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION, module: bitcoinPluginModule };

/* The plugin */
export { BitcoinCoinPlugin } from './plugin/bitcoin-coin-plugin';
export { bitcoinPluginModule } from './plugin/bitcoin-plugin-module';
export { bitcoinPluginConfigSchema, parseBitcoinPluginConfig } from './plugin/bitcoin-plugin-config';
export type { BitcoinPluginConfig } from './plugin/bitcoin-plugin-config';
export { asBitcoinJob, isBitcoinJob } from './plugin/bitcoin-job';
export type { BitcoinJob, BitcoinJobData } from './plugin/bitcoin-job';

/* Native hasher (napi-rs addon) */

/* Node: bitcoind JSON-RPC and the template stream */
export { BitcoinNode } from './node/bitcoin-node';
export type { BitcoinNodeOptions } from './node/bitcoin-node';
export { toCoinTemplate } from './node/to-coin-template';
export { BitcoindRpcClient } from './rpc/bitcoind-rpc-client';
export type { BitcoindRpcOptions, BlockTemplateRequest, RpcCallOptions } from './rpc/bitcoind-rpc-client';
export { parseBlockTemplate, templateTxid } from './rpc/block-template';
export type { BitcoinBlockTemplate, BlockTemplateTransaction } from './rpc/block-template';

/* Coinbase */
export { buildCoinbase, COINBASE_SCRIPTSIG_MAX_BYTES, COINBASE_SCRIPTSIG_MIN_BYTES } from './coinbase/build-coinbase';
export type { BuildCoinbaseOptions, CoinbaseParts } from './coinbase/build-coinbase';
export { bip34HeightPush } from './coinbase/bip34-height-push';
export { payoutScript } from './coinbase/payout-script';
export { withCoinbaseWitness } from './coinbase/with-coinbase-witness';
export { splitCoinbase } from './coinbase/split-coinbase';
export type { SplitCoinbase } from './coinbase/split-coinbase';
export { BITCOIN_NETWORK_NAMES, bitcoinjsNetwork } from './coinbase/bitcoin-network';
export type { BitcoinNetworkName } from './coinbase/bitcoin-network';

/* Merkle branch */
export { merkleBranches } from './merkle/merkle-branches';
export { merkleRootFromBranches } from './merkle/merkle-root-from-branches';

/* Header and block */
export { buildHeader } from './header/build-header';
export type { HeaderFields, HeaderPrevhash } from './header/build-header';
export { displayToPrevhashBytes, prevhashToStratum, stratumToPrevhashBytes } from './header/prevhash';
export { displayHash } from './header/display-hash';
export { rolledVersion } from './header/rolled-version';
export { serializeBlock } from './block/serialize-block';

/* Encoding and hashing helpers */
export { sha256d } from './hash/sha256d';
export { compactSize } from './encoding/compact-size';

/* Native hasher (napi-rs, SHA-NI or portable) */
export { bitcoinHasherImplementations, createBitcoinHasher } from './native-hasher';
export type { BitcoinHasher, BitcoinHasherImplementation, BitcoinHasherOptions, BitcoinScanResult } from './native-hasher';
