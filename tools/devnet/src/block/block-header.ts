import { LodeError } from '@lode/stratum-core';
import { ByteWriter } from '../bytes/byte-writer';
import { sha256d } from '../bytes/sha256d';

/** Size of a serialized block header in bytes. */
export const HEADER_SIZE = 80;

/**
 * An 80-byte block header. `prevHash` and `merkleRoot` are 32 raw bytes in
 * internal (header) order; `version` is int32, `time`, `bits`, `nonce` uint32.
 *
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export interface BlockHeader {
  version: number;
  prevHash: Buffer;
  merkleRoot: Buffer;
  time: number;
  bits: number;
  nonce: number;
}

/** Serializes a header to its 80 bytes (integers little-endian). */
export function serializeHeader(header: BlockHeader): Buffer {
  return new ByteWriter()
    .writeInt32LE(header.version)
    .writeBytes(header.prevHash)
    .writeBytes(header.merkleRoot)
    .writeUInt32LE(header.time)
    .writeUInt32LE(header.bits)
    .writeUInt32LE(header.nonce)
    .toBuffer();
}

/**
 * Reads a header from its 80 bytes.
 *
 * @throws LodeError('protocol') when `bytes` is not 80 bytes long
 */
export function parseHeader(bytes: Buffer): BlockHeader {
  if (bytes.length !== HEADER_SIZE) {
    throw new LodeError('protocol', `a block header is ${HEADER_SIZE} bytes, got ${bytes.length}`);
  }
  return {
    version: bytes.readInt32LE(0),
    prevHash: Buffer.from(bytes.subarray(4, 36)),
    merkleRoot: Buffer.from(bytes.subarray(36, 68)),
    time: bytes.readUInt32LE(68),
    bits: bytes.readUInt32LE(72),
    nonce: bytes.readUInt32LE(76),
  };
}

/** The block hash: sha256d of the 80 header bytes, internal order (reverse for display). */
export function headerHash(header: BlockHeader): Buffer {
  return sha256d(serializeHeader(header));
}
