import type { EthashEpoch } from './ethash-epoch';

/**
 * One piece of pending work the node handed out (what `eth_getWork`
 * describes): the block at `height` on top of `parentHash`, not yet sealed.
 */
export interface EthashWork {
  /** 32 bytes, see devnetSealHash */
  sealHash: Buffer;
  /** "0x" + 64 hex digits */
  sealHashHex: string;
  height: number;
  parentHash: Buffer;
  /** seconds */
  timestamp: number;
  /** the node's running count of works, from 1 */
  counter: number;
  /** sizing and seed epochs of `height` */
  epoch: EthashEpoch;
  /** keccak256^seedEpoch(0^32), 32 bytes */
  seedHash: Buffer;
  difficulty: bigint;
  /** floor(2^256 / difficulty), clamped to 2^256 - 1 */
  boundary: bigint;
}

/** A sealed block of the devnet's chain (or the anchor block it starts on). */
export interface EthashBlock {
  height: number;
  /** 32 bytes, see devnetBlockHash (the anchor: devnetAnchorHash) */
  hash: Buffer;
  parentHash: Buffer;
  /** the seal hash it was mined on (zero for the anchor) */
  sealHash: Buffer;
  /** the 64-bit nonce (0 for the anchor) */
  nonce: bigint;
  /** 32 bytes (zero for the anchor) */
  mixDigest: Buffer;
  difficulty: bigint;
  /** difficulty * (height + 1): every earlier block is taken to have had the same difficulty */
  totalDifficulty: bigint;
  /** seconds */
  timestamp: number;
}
