import { LodeError } from '@lode/stratum-core';

const UINT32_HEX = /^[0-9a-fA-F]{8}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Writes a uint32 as the 8 hex digits Stratum v1 puts on the wire: the number
 * big-endian, as printed (`0x20000000` -> `"20000000"`), lower case.
 *
 * Used for `version`, `nbits` and `ntime` in `mining.notify` and for `ntime`,
 * `nonce` and `version_bits` in `mining.submit`. The header stores the same
 * fields little-endian; that reversal is the coin plugin's business.
 *
 * @param value integer in [0, 2^32)
 * @returns 8 lower-case hex digits
 * @throws LodeError('protocol') if value is not an integer in [0, 2^32)
 * @see facts/bitcoin-stratum.md "Byte orders" rules 2 and 6
 */
export function uint32ToHex(value: number): string {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new LodeError('protocol', `${String(value)} is not a uint32 (an integer in [0, 4294967295])`);
  }
  return value.toString(16).padStart(8, '0');
}

/**
 * Reads the 8 hex digits of a Stratum v1 uint32 field (big-endian, as
 * printed; either case) back into a number.
 *
 * @param hex exactly 8 hex digits, e.g. `"1a44b9f2"`
 * @param field the field's name, used in the error message (`"nonce"`)
 * @returns integer in [0, 2^32)
 * @throws LodeError('protocol') "<field> '<value>' is not 8 hex digits"
 * @see facts/bitcoin-stratum.md "Byte orders" rules 2 and 6
 */
export function hexToUint32(hex: string, field = 'value'): number {
  const parsed = parseUint32Hex(hex);
  if (parsed === undefined) {
    throw new LodeError('protocol', `${field} '${preview(hex)}' is not 8 hex digits`);
  }
  return parsed;
}

/**
 * Non-throwing form of {@link hexToUint32} for validating peer input.
 *
 * @returns the uint32, or undefined when `value` is not a string of exactly 8 hex digits
 */
export function parseUint32Hex(value: unknown): number | undefined {
  if (typeof value !== 'string' || !UINT32_HEX.test(value)) return undefined;
  return Number.parseInt(value, 16);
}

/**
 * True when `value` is a string of hex byte pairs (either case, possibly
 * empty), i.e. raw bytes as Stratum v1 sends coinbase parts and extranonces
 * (facts/bitcoin-stratum.md rule 4: "raw bytes as hex-decoded, no reversal").
 */
export function isHexBytes(value: unknown): value is string {
  return typeof value === 'string' && HEX.test(value);
}

/** Shortens peer input quoted in an error message so that a huge value cannot blow up a reply line. */
export function preview(value: unknown, max = 80): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
