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
