import { LodeError } from '@lode/plugin-api';
import { sha256 } from '../hash/sha256';

const ADDRESS_HEX = /^[0-9a-fA-F]{48}$/;

/**
 * True when `address` is a Warthog account address: 48 hex digits = the
 * 20-byte address followed by its 4-byte checksum, the first 4 bytes of
 * SHA-256(address20).
 *
 * @example isWarthogAddress('3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093') // true
 * @see facts/warthog.md §4.2, §6-H
 */
export function isWarthogAddress(address: unknown): address is string {
  if (typeof address !== 'string' || !ADDRESS_HEX.test(address)) return false;
  const raw = Buffer.from(address, 'hex');
  return sha256(raw.subarray(0, 20)).subarray(0, 4).equals(raw.subarray(20));
}

/**
 * Checks a Warthog address and returns it in lower case.
 *
 * @param address 48 hex digits (either case)
 * @param what names the value in the error ("wart.payoutAddress")
 * @returns the address, lower case
 * @throws LodeError('config') for a value that is not 48 hex digits, or whose
 *   last 4 bytes are not the first 4 bytes of SHA-256 of the first 20 (the
 *   message gives the expected checksum)
 * @see facts/warthog.md §4.2
 */
export function parseWarthogAddress(address: unknown, what = 'address'): string {
  if (typeof address !== 'string' || !ADDRESS_HEX.test(address)) {
    throw new LodeError('config', `${what} is ${JSON.stringify(address)}, expected 48 hex digits (20-byte address + 4-byte checksum)`);
  }
  const raw = Buffer.from(address, 'hex');
  const checksum = sha256(raw.subarray(0, 20)).subarray(0, 4);
  if (!checksum.equals(raw.subarray(20))) {
    throw new LodeError(
      'config',
      `${what} ${address} has the checksum ${raw.subarray(20).toString('hex')}, but SHA-256 of its 20 address bytes starts with ${checksum.toString('hex')}`,
    );
  }
  return address.toLowerCase();
}
