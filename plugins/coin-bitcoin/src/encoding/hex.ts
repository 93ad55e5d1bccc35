import { LodeError } from '@lode/plugin-api';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Decodes hex that must be well formed (even length, hex digits only), unlike
 * `Buffer.from(hex, 'hex')`, which silently stops at the first bad digit.
 *
 * @param hex the text to decode
 * @param what names the value in the error message ("coinb1")
 * @param bytes when given, the exact length the value must decode to
 * @throws LodeError(kind) naming the value and the rule
 */
export function decodeHex(
  hex: string,
  what: string,
  bytes?: number,
  kind: 'node' | 'protocol' | 'config' | 'share' = 'protocol',
): Buffer {
  if (!HEX.test(hex)) {
    throw new LodeError(kind, `${what} "${truncate(hex)}" is not an even-length hex string`);
  }
  if (bytes !== undefined && hex.length !== bytes * 2) {
    throw new LodeError(kind, `${what} is ${hex.length / 2} bytes, expected ${bytes}`);
  }
  return Buffer.from(hex, 'hex');
}

/** uint32 as the 8 big-endian hex digits Stratum prints ("1d00ffff"). */
export function uint32Hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function truncate(s: string): string {
  return s.length > 24 ? `${s.slice(0, 24)}…` : s;
}
