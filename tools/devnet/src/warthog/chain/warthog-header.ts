import { LodeError } from '@lode/stratum-core';

/** A Warthog header is 80 bytes. */
export const WARTHOG_HEADER_SIZE = 80;

/** The header version of every block after height 1,658,880 (Janus8, VerusHash v2.2). */
export const WARTHOG_HEADER_VERSION = 3;

/**
 * The fields of an 80-byte Warthog header (facts/warthog.md §2). Integers are
 * stored big-endian; hashes and the nonce are raw bytes in order.
 */
export interface WarthogHeader {
  /** 32 bytes: the previous block's sha256d in digest order */
  prevHash: Buffer;
  /** the raw TargetV2 (bytes 32..36) */
  targetV2: number;
  /** 32 bytes: SHA-256(merklePrefix ‖ body[0..10]) */
  merkleRoot: Buffer;
  version: number;
  /** Unix seconds */
  timestamp: number;
  /** 4 opaque bytes (bytes 76..80); the nonce hex a miner submits is these bytes in order */
  nonce: Buffer;
}

/**
 * Serializes a header: prevHash(32) ‖ target u32 BE ‖ merkleRoot(32) ‖
 * version u32 BE ‖ timestamp u32 BE ‖ nonce(4).
 *
 * @see facts/warthog.md §2
 */
export function serializeWarthogHeader(h: WarthogHeader): Buffer {
  const out = Buffer.alloc(WARTHOG_HEADER_SIZE);
  h.prevHash.copy(out, 0, 0, 32);
  out.writeUInt32BE(h.targetV2, 32);
  h.merkleRoot.copy(out, 36, 0, 32);
  out.writeUInt32BE(h.version, 68);
  out.writeUInt32BE(h.timestamp, 72);
  h.nonce.copy(out, 76, 0, 4);
  return out;
}

/**
 * Splits 80 header bytes into their fields (copies).
 *
 * @throws LodeError('protocol') when `bytes` is not 80 bytes long
 * @see facts/warthog.md §2
 */
export function parseWarthogHeader(bytes: Buffer): WarthogHeader {
  if (bytes.length !== WARTHOG_HEADER_SIZE) {
    throw new LodeError('protocol', `a Warthog header is ${WARTHOG_HEADER_SIZE} bytes, got ${bytes.length}`);
  }
  return {
    prevHash: Buffer.from(bytes.subarray(0, 32)),
    targetV2: bytes.readUInt32BE(32),
    merkleRoot: Buffer.from(bytes.subarray(36, 68)),
    version: bytes.readUInt32BE(68),
    timestamp: bytes.readUInt32BE(72),
    nonce: Buffer.from(bytes.subarray(76, 80)),
  };
}
