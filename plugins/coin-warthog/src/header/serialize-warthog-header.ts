import { LodeError } from '@lode/plugin-api';
import { decodeHex, isUint32 } from '../encoding/hex';
import type { WarthogHeaderFields } from './warthog-header-fields';

/** Bytes of a Warthog block header. */
export const WARTHOG_HEADER_BYTES = 80;

/**
 * Writes the 80-byte header of `fields`: prevHash ‖ nbits ‖ merkle root ‖
 * version ‖ ntime ‖ nonce, every integer big-endian.
 *
 * @returns 80 bytes
 * @throws LodeError('protocol') for a hash that is not 32 bytes of hex or a
 *   number that is not a uint32, naming the field
 * @see facts/warthog.md §2
 */
export function serializeWarthogHeader(fields: WarthogHeaderFields): Buffer {
  const header = Buffer.alloc(WARTHOG_HEADER_BYTES);
  decodeHex(fields.prevHash, 'prevHash', 32).copy(header, 0);
  decodeHex(fields.merkleRoot, 'merkleRoot', 32).copy(header, 36);
  const numbers: [keyof WarthogHeaderFields, number][] = [
    ['nbits', 32],
    ['version', 68],
    ['ntime', 72],
    ['nonce', 76],
  ];
  for (const [name, offset] of numbers) {
    const value = fields[name];
    if (!isUint32(value)) throw new LodeError('protocol', `header ${name} must be a uint32, got ${String(value)}`);
    header.writeUInt32BE(value, offset);
  }
  return header;
}
