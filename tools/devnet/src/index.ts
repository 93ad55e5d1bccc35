/* Starting a devnet */
export { startDevnet, DEFAULT_DEVNET_PORT } from './devnet';
export type { Devnet, DevnetOptions } from './devnet';
export { runCli } from './cli/run-cli';

/* The simulated node and its events */
export { DevnetNode, RPC_DESERIALIZATION_ERROR } from './node/devnet-node';
export type { DevnetNodeOptions } from './node/devnet-node';
export type {
  BlockAcceptedEvent,
  BlockRejectedEvent,
  DevnetEventMap,
  DevnetWarningEvent,
  MempoolRefreshedEvent,
} from './node/devnet-events';
export { formatLogLine } from './events/log-lines';
export type { DevnetLogEvent } from './events/log-lines';

/* Chain */
export { DevnetChain, DEFAULT_DEVNET_NBITS, DEVNET_POW_LIMIT } from './chain/devnet-chain';
export type { DevnetChainOptions, NextBlockRules } from './chain/devnet-chain';
export type { ChainEntry } from './chain/chain-entry';
export { DEVNET_GENESIS, GENESIS_MESSAGE } from './chain/genesis';
export type { GenesisBlock } from './chain/genesis';
export { blockSubsidy, COIN, REGTEST_HALVING_INTERVAL } from './chain/block-subsidy';
export {
  compactFromTarget,
  decodeCompact,
  difficultyFromCompact,
  hex256,
  targetFromCompact,
  workFromTarget,
} from './chain/compact-target';
export type { CompactTarget } from './chain/compact-target';
export { medianTimePast, MEDIAN_TIME_SPAN } from './chain/median-time-past';
export { coinbaseTag } from './chain/coinbase-tag';

/* Block and transaction serialization (independent of @lode/coin-bitcoin) */
export { decodeBlock } from './block/block-codec';
export type { DecodedBlock } from './block/block-codec';
export { HEADER_SIZE, headerHash, parseHeader, serializeHeader } from './block/block-header';
export type { BlockHeader } from './block/block-header';
export { hashTransaction, readTransaction, serializeTransaction } from './block/transaction-codec';
export { hasWitness, isCoinbase, isNullOutpoint } from './block/transaction';
export type { HashedTransaction, Transaction, TxInput, TxOutput } from './block/transaction';
export { merkleRoot } from './block/merkle-root';
export type { MerkleResult } from './block/merkle-root';
export {
  WITNESS_COMMITMENT_PREFIX,
  witnessCommitmentIndex,
  witnessCommitmentScript,
  witnessMerkleRoot,
} from './block/witness-commitment';
export { legacySigOpCount, scriptNumberPush, scriptOps } from './block/script';
export type { ScriptOp } from './block/script';

/* Templates */
export { buildBlockTemplate, TEMPLATE_VERSION } from './template/build-block-template';
export type { TemplateInputs } from './template/build-block-template';
export type { BlockTemplate, TemplateTransaction } from './template/block-template';
export { SyntheticMempool } from './template/synthetic-mempool';
export type { SyntheticMempoolOptions } from './template/synthetic-mempool';
export { makeSyntheticTransaction } from './template/synthetic-transaction';
export type { MempoolTransaction, RandomBytes } from './template/synthetic-transaction';
export { LongPollWaiters } from './template/long-poll';

/* Validation (pure; bitcoind's reject reasons) */
export {
  checkBlockConnect,
  checkBlockContextFree,
  checkBlockContextual,
  checkHeaderContextual,
  validateBlock,
} from './validate/check-block';
export type { BlockRules, ConnectRules, ContextFreeRules, ContextualRules } from './validate/check-block';
export { checkTransaction, isFinalTransaction } from './validate/check-transaction';
export { withDefaultWitnessNonce } from './validate/default-witness-nonce';
export { DEVNET_POWS, parseDevnetPow, powHash } from './validate/pow-hash';
export type { DevnetPow } from './validate/pow-hash';
export {
  LOCKTIME_THRESHOLD,
  MAX_BLOCK_SIGOPS_COST,
  MAX_BLOCK_WEIGHT,
  MAX_FUTURE_BLOCK_TIME,
  MAX_MONEY,
  WITNESS_SCALE_FACTOR,
} from './validate/reject-reason';
export type { RejectReason } from './validate/reject-reason';

/* RPC server */
export { startRpcServer, DEFAULT_MAX_BODY_BYTES } from './rpc/rpc-server';
export type { RpcServer, RpcServerOptions } from './rpc/rpc-server';
export { dispatchJsonRpc } from './rpc/json-rpc-dispatch';
export type { HttpRpcReply, JsonRpcReply } from './rpc/json-rpc-dispatch';
export { COOKIE_USER, isAuthorized, removeCookieFile, writeCookieFile } from './rpc/rpc-auth';
export type { RpcCredentials } from './rpc/rpc-auth';
export { RpcErrorCode, rpcError } from './rpc/rpc-errors';
export { DEVNET_METHODS } from './rpc/methods/method-table';
export { DEVNET_CHAIN_NAME } from './rpc/methods/chain-queries';
export type { RpcContext, RpcMethod } from './rpc/rpc-method';

/* Bytes */
export { sha256, sha256d } from './bytes/sha256d';
export { bytesFromHex, displayHex, internalFromDisplay, isHex } from './bytes/hex';
export { ByteReader, MAX_COMPACT_SIZE } from './bytes/byte-reader';
export { ByteWriter } from './bytes/byte-writer';

/* Ethash devnet: an ethash / ETChash chain behind geth's JSON-RPC (eth_getWork, eth_submitWork) */
export { startEthashDevnet, DEFAULT_ETHASH_DEVNET_PORT } from './ethash/ethash-devnet';
export type { EthashDevnet, EthashDevnetOptions } from './ethash/ethash-devnet';
export { runEthashCli } from './ethash/cli/run-ethash-cli';
export { EthashDevnetNode } from './ethash/node/ethash-devnet-node';
export type { EthashDevnetNodeOptions, EthashWorkPackage, ReportedHashrate } from './ethash/node/ethash-devnet-node';
export type {
  EthashBlockEvent,
  EthashCacheEvent,
  EthashDevnetEventMap,
  EthashHashrateEvent,
  EthashMaxBlocksEvent,
  EthashRejectedEvent,
  EthashRejectReason,
  EthashWarningEvent,
  EthashWorkEvent,
  EthashWorkReason,
} from './ethash/node/ethash-devnet-events';
export { formatEthashLogLine, formatHashrate } from './ethash/events/ethash-log-lines';
export type { EthashLogEvent } from './ethash/events/ethash-log-lines';
export { EthashChain, DEFAULT_ETHASH_DEVNET_DIFFICULTY, STALE_THRESHOLD, WORK_RETENTION_BLOCKS } from './ethash/chain/ethash-chain';
export type { EthashChainOptions, SealOutcome, SeedHashFunction } from './ethash/chain/ethash-chain';
export type { EthashBlock, EthashWork } from './ethash/chain/ethash-block';
export { ETCHASH_EPOCH_LENGTH, ETHASH_EPOCH_LENGTH, epochKey, ethashEpochAt, nextEpochStart } from './ethash/chain/ethash-epoch';
export type { EthashAlgo, EthashEpoch, EthashRules } from './ethash/chain/ethash-epoch';
export { ethashBoundary, hex64, parseDifficulty, quantityHex } from './ethash/chain/boundary';
export { devnetAnchorHash, devnetBlockHash, devnetSealHash } from './ethash/chain/devnet-hashes';
export type { SealHashInputs } from './ethash/chain/devnet-hashes';
export type { EthashPowResult, EthashVerifier } from './ethash/verify/ethash-verifier';
export { LightCacheVerifier } from './ethash/verify/light-cache-verifier';
export type { EthashNativeBinding, NativeLightCache } from './ethash/verify/light-cache-verifier';
export { startEthRpcServer, DEFAULT_ETH_MAX_BODY_BYTES } from './ethash/rpc/eth-rpc-server';
export type { EthRpcServer, EthRpcServerOptions } from './ethash/rpc/eth-rpc-server';
export { dispatchEthJsonRpc, MAX_BATCH_REQUESTS } from './ethash/rpc/eth-json-rpc-dispatch';
export type { EthJsonRpcReply } from './ethash/rpc/eth-json-rpc-dispatch';
export { EthRpcErrorCode, ethRpcError } from './ethash/rpc/eth-rpc-errors';
export type { EthRpcContext, EthRpcMethod } from './ethash/rpc/eth-rpc-method';
export { ETHASH_DEVNET_METHODS } from './ethash/rpc/methods/ethash-method-table';
export { ETHASH_DEVNET_CHAIN_ID } from './ethash/rpc/methods/chain-methods';

/* Warthog devnet: a Janus8 chain behind the Warthog node's HTTP API (/chain/mine, /chain/head, /chain/append) */
export { startWarthogDevnet, DEFAULT_WARTHOG_DEVNET_PORT } from './warthog/warthog-devnet';
export type { WarthogDevnet, WarthogDevnetOptions } from './warthog/warthog-devnet';
export { runWarthogCli } from './warthog/cli/run-warthog-cli';
export { WarthogDevnetNode } from './warthog/node/warthog-devnet-node';
export type { WarthogDevnetNodeOptions } from './warthog/node/warthog-devnet-node';
export type {
  WarthogBlockEvent,
  WarthogDevnetEventMap,
  WarthogMaxBlocksEvent,
  WarthogRejectedEvent,
} from './warthog/node/warthog-devnet-events';
export { formatWarthogLogLine } from './warthog/events/warthog-log-lines';
export type { WarthogLogEvent } from './warthog/events/warthog-log-lines';
export {
  WarthogChain,
  DEFAULT_DEVNET_TRANSFERS,
  DEFAULT_WARTHOG_DEVNET_DIFFICULTY,
  DEFAULT_WARTHOG_START_HEIGHT,
  JANUS8_START_HEIGHT,
  WARTHOG_BLOCK_SECONDS,
} from './warthog/chain/warthog-chain';
export type { AppendOutcome, AppendRequest, WarthogChainOptions } from './warthog/chain/warthog-chain';
export type { WarthogBlock, WarthogTemplate } from './warthog/chain/warthog-block';
export { WARTHOG_NODE_ERRORS } from './warthog/chain/node-errors';
export type { WarthogNodeErrorName } from './warthog/chain/node-errors';
export { difficultyFromTargetV2, targetV2FromDifficulty, targetV2Hex } from './warthog/chain/target-v2';
export { WARTHOG_HEADER_SIZE, WARTHOG_HEADER_VERSION, parseWarthogHeader, serializeWarthogHeader } from './warthog/chain/warthog-header';
export type { WarthogHeader } from './warthog/chain/warthog-header';
export {
  BODY_ADDRESS_SIZE,
  BODY_EXTRANONCE_SIZE,
  BODY_REWARD_SIZE,
  BODY_TRANSFER_SIZE,
  MAX_BODY_SIZE,
  parseWarthogBody,
  serializeWarthogBody,
} from './warthog/chain/warthog-body';
export type { WarthogBody } from './warthog/chain/warthog-body';
export { bodyMerkleLeaves, bodyMerklePrefix, merkleRootFromPrefix } from './warthog/chain/body-merkle';
export { devnetAccountId, parseWarthogAddress } from './warthog/chain/warthog-address';
export { blockRewardE8, formatWart, HALVING_INTERVAL, INITIAL_BLOCK_REWARD_E8 } from './warthog/chain/block-reward';
export { MEDIAN_N, TIMESTAMP_TOLERANCE_SECONDS, TimestampWindow } from './warthog/chain/timestamp-window';
export type { TimestampVerdict } from './warthog/chain/timestamp-window';
export type { JanushashVerifier } from './warthog/verify/janushash-verifier';
export { nativeJanushashVerifier } from './warthog/verify/native-janushash-verifier';
export { startWarthogHttpServer, DEFAULT_WARTHOG_MAX_BODY_BYTES } from './warthog/http/warthog-http-server';
export type { WarthogHttpServer, WarthogHttpServerOptions } from './warthog/http/warthog-http-server';
export type {
  WarthogAppendEnvelope,
  WarthogChainHead,
  WarthogEnvelope,
  WarthogErrorEnvelope,
  WarthogMiningState,
} from './warthog/http/warthog-envelope';
