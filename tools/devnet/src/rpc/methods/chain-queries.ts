import { difficultyFromCompact, hex256, targetFromCompact } from '../../chain/compact-target';
import type { ChainEntry } from '../../chain/chain-entry';
import type { DevnetNode } from '../../node/devnet-node';
import { displayHex } from '../../bytes/hex';
import { rpcError, RpcErrorCode } from '../rpc-errors';
import type { RpcMethod } from '../rpc-method';
import { booleanParam, hashParam, integerParam } from '../rpc-params';
import { serializeHeader } from '../../block/block-header';

/** The chain name the devnet reports in getblockchaininfo / getmininginfo. */
export const DEVNET_CHAIN_NAME = 'devnet';

function hex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * `getblockchaininfo`: chain "devnet", blocks, headers, bestblockhash,
 * difficulty, time, mediantime, verificationprogress 1,
 * initialblockdownload false, chainwork, size_on_disk, pruned false, warnings "".
 *
 * @see Bitcoin Core src/rpc/blockchain.cpp (getblockchaininfo)
 */
export const getBlockchainInfoMethod: RpcMethod = {
  name: 'getblockchaininfo',
  params: [],
  handle(_params, { node }) {
    const tip = node.chain.tip;
    return {
      chain: DEVNET_CHAIN_NAME,
      blocks: tip.height,
      headers: tip.height,
      bestblockhash: tip.hashHex,
      difficulty: difficultyFromCompact(tip.header.bits),
      time: tip.header.time,
      mediantime: tip.medianTimePast,
      verificationprogress: 1,
      initialblockdownload: false,
      chainwork: hex256(tip.chainWork),
      size_on_disk: 0,
      pruned: false,
      warnings: '',
    };
  },
};

/** `getbestblockhash`: the tip's hash, display hex. */
export const getBestBlockHashMethod: RpcMethod = {
  name: 'getbestblockhash',
  params: [],
  handle: (_params, { node }) => node.chain.tip.hashHex,
};

/** `getblockcount`: the tip's height. */
export const getBlockCountMethod: RpcMethod = {
  name: 'getblockcount',
  params: [],
  handle: (_params, { node }) => node.chain.height,
};

/** `getdifficulty`: the tip's difficulty (difficulty 1 = nBits 1d00ffff). */
export const getDifficultyMethod: RpcMethod = {
  name: 'getdifficulty',
  params: [],
  handle: (_params, { node }) => difficultyFromCompact(node.chain.tip.header.bits),
};

/**
 * `getblockhash height`: the hash at that height; error -8 "Block height out of range".
 */
export const getBlockHashMethod: RpcMethod = {
  name: 'getblockhash',
  params: ['height'],
  handle(params, { node }) {
    const entry = node.chain.entryAtHeight(integerParam(params[0], 'height'));
    if (!entry) throw rpcError(RpcErrorCode.INVALID_PARAMETER, 'Block height out of range');
    return entry.hashHex;
  },
};

function headerJson(node: DevnetNode, entry: ChainEntry): Record<string, unknown> {
  const tip = node.chain.tip;
  const next = node.chain.entryAtHeight(entry.height + 1);
  const h = entry.header;
  return {
    hash: entry.hashHex,
    confirmations: tip.height - entry.height + 1,
    height: entry.height,
    version: h.version,
    versionHex: hex32(h.version),
    merkleroot: displayHex(h.merkleRoot),
    time: h.time,
    mediantime: entry.medianTimePast,
    nonce: h.nonce,
    bits: hex32(h.bits),
    target: hex256(targetFromCompact(h.bits)),
    difficulty: difficultyFromCompact(h.bits),
    chainwork: hex256(entry.chainWork),
    nTx: entry.txCount,
    ...(entry.height > 0 ? { previousblockhash: displayHex(h.prevHash) } : {}),
    ...(next ? { nextblockhash: next.hashHex } : {}),
  };
}

/**
 * `getblockheader "blockhash" ( verbose )`: the verbose object (default) or
 * the 80-byte header in hex; error -5 "Block not found".
 *
 * @see Bitcoin Core src/rpc/blockchain.cpp (getblockheader)
 */
export const getBlockHeaderMethod: RpcMethod = {
  name: 'getblockheader',
  params: ['blockhash', 'verbose'],
  handle(params, { node }) {
    const hash = hashParam(params[0], 'blockhash');
    const verbose = booleanParam(params[1], true);
    const entry = node.chain.entryByHash(hash);
    if (!entry) throw rpcError(RpcErrorCode.INVALID_ADDRESS_OR_KEY, 'Block not found');
    return verbose ? headerJson(node, entry) : serializeHeader(entry.header).toString('hex');
  },
};

/**
 * Network hash rate over the last (up to) 120 blocks, hashes per second:
 * chain work gained over the time between the earliest and latest block.
 *
 * @see Bitcoin Core src/rpc/mining.cpp (GetNetworkHashPS)
 */
function networkHashPerSecond(node: DevnetNode): number {
  const tip = node.chain.tip;
  const first = node.chain.entryAtHeight(Math.max(0, tip.height - 120));
  if (!first || first === tip) return 0;
  let minTime = first.header.time;
  let maxTime = minTime;
  for (let h = first.height + 1; h <= tip.height; h++) {
    const t = node.chain.entryAtHeight(h)?.header.time ?? minTime;
    minTime = Math.min(minTime, t);
    maxTime = Math.max(maxTime, t);
  }
  if (maxTime === minTime) return 0;
  return Number(tip.chainWork - first.chainWork) / (maxTime - minTime);
}

/**
 * `getmininginfo`: blocks, difficulty, networkhashps, pooledtx, chain, warnings.
 *
 * @see Bitcoin Core src/rpc/mining.cpp (getmininginfo)
 */
export const getMiningInfoMethod: RpcMethod = {
  name: 'getmininginfo',
  params: [],
  handle(_params, { node }) {
    const tip = node.chain.tip;
    return {
      blocks: tip.height,
      difficulty: difficultyFromCompact(tip.header.bits),
      networkhashps: networkHashPerSecond(node),
      pooledtx: node.mempool.transactions.length,
      chain: DEVNET_CHAIN_NAME,
      warnings: '',
    };
  },
};

/**
 * `getnetworkinfo`, minimal: a bitcoind-like version, no peers, the network active.
 *
 * @see Bitcoin Core src/rpc/net.cpp (getnetworkinfo)
 */
export const getNetworkInfoMethod: RpcMethod = {
  name: 'getnetworkinfo',
  params: [],
  handle: () => ({
    version: 270000,
    subversion: '/Lode-devnet:0.1.0/',
    protocolversion: 70016,
    localservices: '0000000000000409',
    localservicesnames: ['NETWORK', 'WITNESS', 'NETWORK_LIMITED'],
    localrelay: true,
    timeoffset: 0,
    networkactive: true,
    connections: 0,
    connections_in: 0,
    connections_out: 0,
    networks: [],
    relayfee: 0.00001,
    incrementalfee: 0.00001,
    localaddresses: [],
    warnings: '',
  }),
};
