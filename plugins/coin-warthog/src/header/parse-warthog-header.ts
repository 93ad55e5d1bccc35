import { LodeError } from '@lode/plugin-api';
import { WARTHOG_HEADER_BYTES } from './serialize-warthog-header';
import type { WarthogHeaderFields } from './warthog-header-fields';

/**
 * Reads the six fields of an 80-byte Warthog header (the inverse of
 * serializeWarthogHeader).
 *
 * @param header 80 bytes
 * @throws LodeError('protocol') for a header that is not 80 bytes
 * @see facts/warthog.md §2
 */
export function parseWarthogHeader(header: Buffer): WarthogHeaderFields {
  if (header.length !== WARTHOG_HEADER_BYTES) {
    throw new LodeError('protocol', `a Warthog header is ${WARTHOG_HEADER_BYTES} bytes, got ${header.length}`);
  }
  return {
    prevHash: header.subarray(0, 32).toString('hex'),
    nbits: header.readUInt32BE(32),
    merkleRoot: header.subarray(36, 68).toString('hex'),
    version: header.readUInt32BE(68),
    ntime: header.readUInt32BE(72),
    nonce: header.readUInt32BE(76),
  };
}
