import { quantityHex } from '../../chain/boundary';
import type { EthashBlock } from '../../chain/ethash-block';
import type { EthashDevnetNode } from '../../node/ethash-devnet-node';
import { EthRpcErrorCode, ethRpcError } from '../eth-rpc-errors';
import type { EthRpcMethod } from '../eth-rpc-method';
import { blockTagParam, boolParam } from '../geth-params';

/** The devnet's chain id (geth's `--dev` chain id), answered by eth_chainId and net_version. */
export const ETHASH_DEVNET_CHAIN_ID = 1337;

const hex = (b: Buffer): string => `0x${b.toString('hex')}`;
const ZERO_HASH = `0x${'0'.repeat(64)}`;

/** A sealed block as geth's `eth_getBlockByNumber(n, false)` shows it, reduced to the proof-of-work fields. */
function blockJson(block: EthashBlock): Record<string, unknown> {
  return {
    number: quantityHex(block.height),
    hash: hex(block.hash),
    parentHash: hex(block.parentHash),
    nonce: `0x${block.nonce.toString(16).padStart(16, '0')}`,
    mixHash: hex(block.mixDigest),
    difficulty: quantityHex(block.difficulty),
    totalDifficulty: quantityHex(block.totalDifficulty),
    timestamp: quantityHex(block.timestamp),
    transactions: [],
    uncles: [],
  };
}

/** The pending block: the current work, with hash and nonce null as geth shows them. */
function pendingJson(node: EthashDevnetNode): Record<string, unknown> {
  const work = node.chain.work;
  return {
    number: quantityHex(work.height),
    hash: null,
    parentHash: hex(work.parentHash),
    nonce: null,
    mixHash: ZERO_HASH,
    difficulty: quantityHex(work.difficulty),
    totalDifficulty: quantityHex(node.chain.head.totalDifficulty + work.difficulty),
    timestamp: quantityHex(work.timestamp),
    transactions: [],
    uncles: [],
  };
}

/** `eth_blockNumber` -> the head's number as a quantity ("0x1e"). */
export const blockNumberMethod: EthRpcMethod = {
  name: 'eth_blockNumber',
  params: [],
  handle: (_params, { node }) => quantityHex(node.chain.height),
};

/**
 * `eth_getBlockByNumber [block, fullTransactions]`: number, hash,
 * parentHash, nonce, mixHash, difficulty, totalDifficulty, timestamp,
 * transactions [], uncles []. `block` is a quantity or "latest",
 * "earliest" (block 0), "pending" (the current work: hash and nonce null);
 * a block the devnet does not have (above the head, or below the anchor
 * block at startHeight - 1) -> null. "safe" / "finalized" -> -32000, as on a
 * proof-of-work chain without finality.
 *
 * @see go-ethereum internal/ethapi/api.go (GetBlockByNumber, RPCMarshalHeader)
 */
export const getBlockByNumberMethod: EthRpcMethod = {
  name: 'eth_getBlockByNumber',
  params: ['block', 'fullTransactions'],
  handle(params, { node }) {
    const tag = blockTagParam(params[0], 0);
    boolParam(params[1], 1);
    if (tag === 'pending') return pendingJson(node);
    if (tag === 'safe' || tag === 'finalized') throw ethRpcError(EthRpcErrorCode.SERVER_ERROR, `${tag} block not found`);
    const height = tag === 'latest' ? node.chain.height : tag === 'earliest' ? 0 : tag;
    const block = node.chain.blockAt(height);
    return block ? blockJson(block) : null;
  },
};

/** `eth_chainId` -> "0x539" (1337). */
export const chainIdMethod: EthRpcMethod = {
  name: 'eth_chainId',
  params: [],
  handle: () => quantityHex(ETHASH_DEVNET_CHAIN_ID),
};

/** `net_version` -> "1337" (a decimal string, as geth answers). */
export const netVersionMethod: EthRpcMethod = {
  name: 'net_version',
  params: [],
  handle: () => String(ETHASH_DEVNET_CHAIN_ID),
};

/** `eth_syncing` -> false: the devnet is always at its head. */
export const syncingMethod: EthRpcMethod = {
  name: 'eth_syncing',
  params: [],
  handle: () => false,
};

/** `web3_clientVersion` -> "Lode-devnet/v0.1.0/<algo>". */
export const clientVersionMethod: EthRpcMethod = {
  name: 'web3_clientVersion',
  params: [],
  handle: (_params, { node }) => `Lode-devnet/v0.1.0/${node.chain.rules.algo}`,
};
