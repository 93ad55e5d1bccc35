import { LodeError } from '@lode/stratum-core';
import { show } from './show';

const ANY_HEX = /^[0-9a-fA-F]{1,64}$/;

/**
 * Reads a number a pool sent, tolerantly: a hex string in either case, with
 * or without leading zeros (no `0x`, at most 64 digits), or a non-negative
 * safe integer JSON number (go-quai's proxy answers `"timeout": 30`).
 *
 * The client side reads with this; the server side judges what miners send
 * with the strict `parseHexNumber` from @lode/stratum-core, as the spec's
 * "Conventions" require. A miner that drops work from a pool that pads a
 * number with a zero helps nobody.
 *
 * @param value the member's value
 * @param what the member's name, for the error message ("mining.set epoch")
 * @throws LodeError('protocol') naming the member and the value otherwise
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (Hex values)
 */
export function readLenientHex(value: unknown, what: string): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && ANY_HEX.test(value)) return BigInt(`0x${value}`);
  throw new LodeError('protocol', `${what} is ${show(value)}, expected a hex number (at most 64 digits, no 0x)`);
}

/**
 * Reads an EIP-1571 boolean a pool sent, tolerantly: `"0"`/`"1"`, or the
 * JSON numbers 0/1.
 *
 * @throws LodeError('protocol') naming the member and the value otherwise
 */
export function readLenientBoolean(value: unknown, what: string): boolean {
  if (value === '1' || value === 1) return true;
  if (value === '0' || value === 0) return false;
  throw new LodeError('protocol', `${what} is ${show(value)}, expected "0" or "1"`);
}

/** {@link readLenientHex} for a value that must fit a safe integer (epochs, heights, ports, seconds). */
export function readLenientSafeInteger(value: unknown, what: string): number {
  const n = readLenientHex(value, what);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new LodeError('protocol', `${what} is ${show(value)}, larger than ${Number.MAX_SAFE_INTEGER}`);
  }
  return Number(n);
}
