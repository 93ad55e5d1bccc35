import { LodeError, type LodeErrorKind } from '@lode/plugin-api';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes hex that must be well formed (even length, hex digits only), unlike
 * `Buffer.from(hex, 'hex')`, which silently stops at the first bad digit.
 *
 * @param hex the text to decode (either case)
 * @param what names the value in the error message ("merklePrefix")
 * @param bytes when given, the exact length (or one of the lengths) the value must decode to
 * @param kind the LodeError kind to throw ('protocol' by default)
 * @throws LodeError(kind) naming the value and the rule
 */
export function decodeHex(hex: unknown, what: string, bytes?: number | readonly number[], kind: LodeErrorKind = 'protocol'): Buffer {
  if (typeof hex !== 'string' || !HEX.test(hex)) {
    throw new LodeError(kind, `${what} ${short(hex)} is not an even-length hex string`);
  }
  if (bytes !== undefined) {
    const allowed = typeof bytes === 'number' ? [bytes] : bytes;
    if (!allowed.includes(hex.length / 2)) {
      throw new LodeError(kind, `${what} is ${hex.length / 2} bytes, expected ${allowed.join(' or ')}`);
    }
  }
  return Buffer.from(hex, 'hex');
}

/** uint32 as the 8 big-endian hex digits Warthog's stratum and header print ("0ae7cde7"). */
export function uint32Hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** True for an integer in [0, 2^32). */
export function isUint32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
}

function short(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
