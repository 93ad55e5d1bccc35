import { LodeError } from '@lode/plugin-api';

const BOUNDARY_HEX = /^(0x)?[0-9a-fA-F]{1,64}$/;

/**
 * Reads a boundary in the forms nodes and pools print it: "0x" + 64 hex
 * digits (`eth_getWork[2]`), the same without "0x", or with leading zeros
 * stripped (EthereumStratum/2.0.0 `mining.set.target`); any case.
 *
 * @param hex the boundary, big-endian hex, 1 to 64 digits
 * @param what names the value in the error ("eth_getWork boundary")
 * @returns the boundary, >= 1
 * @throws LodeError('protocol') for anything else, or a zero boundary (no hash meets it)
 * @see facts/ethash.md §1.1, §1.3
 */
export function parseBoundary(hex: string, what = 'boundary'): bigint {
  if (typeof hex !== 'string' || !BOUNDARY_HEX.test(hex)) {
    throw new LodeError('protocol', `${what} is ${JSON.stringify(hex)}, expected up to 64 hex digits, optionally after 0x`);
  }
  const value = BigInt(hex.startsWith('0x') ? hex : `0x${hex}`);
  if (value === 0n) throw new LodeError('protocol', `${what} is zero: no hash can meet it`);
  return value;
}
