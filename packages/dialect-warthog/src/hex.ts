import { LodeError } from '@lode/stratum-core';

const UINT32_HEX = /^[0-9a-fA-F]{8}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Writes a uint32 as the 8 hex digits Warthog stratum puts on the wire: the
 * number big-endian, which is also the header's byte order for version,
 * nbits and ntime (`3` -> `"00000003"`), lower case.
 *
 * @param value integer in [0, 2^32)
 * @returns 8 lower-case hex digits
 * @throws LodeError('protocol') if value is not an integer in [0, 2^32)
 * @see facts/warthog.md §2 (header fields are uint32 big-endian), §8 rule 7
 */
export function uint32ToHex(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new LodeError('protocol', `${String(value)} is not a uint32 (an integer in [0, 4294967295])`);
  }
  return value.toString(16).padStart(8, '0');
}

/**
 * Reads exactly 8 hex digits (either case) as a uint32, big-endian: the
 * 4 header bytes in order (facts/warthog.md §2 "nonce hex string ==
 * header[76..80] in order").
 *
 * @returns the uint32, or undefined when `value` is not a string of exactly 8 hex digits
 */
export function parseUint32Hex(value: unknown): number | undefined {
  if (typeof value !== 'string' || !UINT32_HEX.test(value)) return undefined;
  return Number.parseInt(value, 16);
}

/** True when `value` is a string of hex byte pairs (either case, possibly empty). */
export function isHexBytes(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
}

/** Shortens peer input quoted in an error message so that a huge value cannot blow up a reply line. */
export function preview(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

/**
 * Quotes peer input in its JSON form, so that the type shows where it is
 * what is wrong (`"6"` for a string where a number belongs), shortened as {@link preview}.
 */
export function show(value: unknown, max = 80): string {
  return preview(JSON.stringify(value) ?? String(value), max);
}

/** Quotes peer input for an error message: a string as `'text'`, anything else in its JSON form, shortened. */
export function quote(value: unknown, max = 80): string {
  return typeof value === 'string' ? `'${preview(value, max)}'` : show(value, max);
}
