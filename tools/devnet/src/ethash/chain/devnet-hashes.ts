import { createHash } from 'node:crypto';

function u64(value: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(value));
  return b;
}

/** What makes one piece of work unique. */
export interface SealHashInputs {
  /** the block the work builds on, 32 bytes */
  parentHash: Buffer;
  /** the work's block number */
  height: number;
  /** the work's timestamp, seconds */
  timestamp: number;
  /** the node's running count of works handed out */
  counter: number;
}

/**
 * The devnet's seal hash ("header hash", "hashNoNonce", `eth_getWork[0]`):
 * SHA-256(parentHash ‖ height ‖ timestamp ‖ counter), each number a 64-bit
 * big-endian integer; 32 bytes that differ for every work.
 *
 * A real node uses keccak256(RLP(header without mixHash and nonce)); a pool
 * never computes it, it only passes it back (facts/ethash.md §2.6), so any
 * 32 bytes unique per work serve. The proof of work itself is real ethash
 * over these 32 bytes.
 */
export function devnetSealHash(inputs: SealHashInputs): Buffer {
  return createHash('sha256')
    .update(inputs.parentHash)
    .update(u64(inputs.height))
    .update(u64(inputs.timestamp))
    .update(u64(inputs.counter))
    .digest();
}

/**
 * The devnet's block hash: SHA-256(sealHash ‖ nonce as 8 bytes big-endian ‖
 * mixDigest). Stands in for keccak256(RLP(full header)): it differs for every
 * sealed block and is what `eth_getBlockByNumber` reports as `hash`.
 */
export function devnetBlockHash(sealHash: Buffer, nonce: bigint, mixDigest: Buffer): Buffer {
  return createHash('sha256').update(sealHash).update(u64(nonce)).update(mixDigest).digest();
}

/**
 * The hash of the block the devnet starts on (height startHeight - 1), which
 * it never mined: SHA-256("lode ethash devnet anchor" ‖ height), so the same
 * start height always gives the same chain root.
 */
export function devnetAnchorHash(height: number): Buffer {
  return createHash('sha256').update('lode ethash devnet anchor').update(u64(height)).digest();
}
