import { LodeError } from '@lode/plugin-api';
import { displayToPrevhashBytes, stratumToPrevhashBytes } from './prevhash';

/** The previous block hash, in whichever form the caller has it. */
export type HeaderPrevhash =
  /** `mining.notify` form, 64 hex digits */
  | { prevhashStratum: string }
  /** display form (RPC, explorers), 64 hex digits */
  | { prevHashDisplay: string }
  /** the 32 bytes as the header stores them */
  | { prevhashBytes: Buffer };

/** The fields of an 80-byte Bitcoin header, as numbers and raw bytes. */
export type HeaderFields = HeaderPrevhash & {
  /** uint32 (already rolled, see rolledVersion) */
  version: number;
  /** raw bytes as they go into the header (the fold result), 32 bytes */
  merkleRoot: Buffer;
  /** uint32 seconds */
  ntime: number;
  /** compact target, uint32 */
  nbits: number;
  /** uint32 */
  nonce: number;
};

/**
 * Serializes an 80-byte block header:
 * version | prevhash | merkle root | ntime | nbits | nonce, the uint32s
 * little-endian ("20000000" -> 00 00 00 20).
 *
 * @returns 80 raw bytes, ready for sha256d
 * @throws LodeError('protocol') for a prevhash or merkle root that is not 32 bytes
 * @see facts/bitcoin-stratum.md rules 1-3 and 6
 */
export function buildHeader(fields: HeaderFields): Buffer {
  const prevhash =
    'prevhashBytes' in fields
      ? fields.prevhashBytes
      : 'prevhashStratum' in fields
        ? stratumToPrevhashBytes(fields.prevhashStratum)
        : displayToPrevhashBytes(fields.prevHashDisplay);
  if (prevhash.length !== 32) {
    throw new LodeError('protocol', `prevhash is ${prevhash.length} bytes, a header needs 32`);
  }
  if (fields.merkleRoot.length !== 32) {
    throw new LodeError('protocol', `merkle root is ${fields.merkleRoot.length} bytes, a header needs 32`);
  }
  // every byte is written below: no zero-fill (allocUnsafe takes a slice of node's pool)
  const header = Buffer.allocUnsafe(80);
  header.writeUInt32LE(fields.version >>> 0, 0);
  prevhash.copy(header, 4);
  fields.merkleRoot.copy(header, 36);
  header.writeUInt32LE(fields.ntime >>> 0, 68);
  header.writeUInt32LE(fields.nbits >>> 0, 72);
  header.writeUInt32LE(fields.nonce >>> 0, 76);
  return header;
}
