/** Why a new work was made. */
export type EthashWorkReason = 'start' | 'block' | 'refresh';

/** The node made new pending work (what `eth_getWork` now returns). Hex strings carry "0x". */
export interface EthashWorkEvent {
  height: number;
  sealHash: string;
  seedHash: string;
  /** 64 hex digits after "0x" */
  boundary: string;
  /** the sizing epoch */
  epoch: number;
  reason: EthashWorkReason;
}

/**
 * `eth_submitWork` sealed a block. `canonical` blocks extend the head; a
 * side block (work on an older parent, still within 7 blocks) is answered
 * true as core-geth does but leaves the head where it is.
 */
export interface EthashBlockEvent {
  height: number;
  hash: string;
  parentHash: string;
  sealHash: string;
  /** "0x" + 16 hex digits */
  nonce: string;
  mix: string;
  final: string;
  canonical: boolean;
}

/**
 * Why `eth_submitWork` answered false:
 * - "none pending": unknown seal hash (core-geth "Work submitted but none pending")
 * - "invalid mix digest": the recomputed mix differs from the submitted one
 * - "high hash": the final hash is above the boundary (core-geth "invalid proof-of-work")
 * - "stale": the work is not within 7 blocks of the head (core-geth "Work submitted is too old")
 */
export type EthashRejectReason = 'none pending' | 'invalid mix digest' | 'high hash' | 'stale';

/** `eth_submitWork` answered false. */
export interface EthashRejectedEvent {
  reason: EthashRejectReason;
  sealHash: string;
  nonce: string;
  /** the work's height when the seal hash was known */
  height?: number;
}

/** `eth_submitHashrate` reported a rate: hashes per second and the miner's 32-byte id. */
export interface EthashHashrateEvent {
  hashrate: number;
  id: string;
}

/** A light cache became ready. `ms` is how long the node waited for it. */
export interface EthashCacheEvent {
  epoch: number;
  seedEpoch: number;
  seedHash: string;
  ms: number;
}

/** Something worth a log line that is not a rejection (a duplicate submit, a failed background cache build). */
export interface EthashWarningEvent {
  message: string;
}

/** The node sealed its `maxBlocks`-th canonical block. */
export interface EthashMaxBlocksEvent {
  blocks: number;
}

/**
 * The events an ethash devnet node emits, as a typed node:events map:
 * `work`, `block`, `rejected`, `hashrate`, `cache`, `warning`, `max-blocks`.
 */
export interface EthashDevnetEventMap {
  work: [EthashWorkEvent];
  block: [EthashBlockEvent];
  rejected: [EthashRejectedEvent];
  hashrate: [EthashHashrateEvent];
  cache: [EthashCacheEvent];
  warning: [EthashWarningEvent];
  'max-blocks': [EthashMaxBlocksEvent];
}
