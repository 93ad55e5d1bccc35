import { createHash } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';

const ADDRESS_HEX = /^[0-9a-fA-F]{48}$/;

/**
 * Parses a Warthog address: 48 hex digits, the 20-byte address followed by
 * its 4-byte checksum, the first 4 bytes of SHA-256(address20).
 *
 * @param text the address as `/chain/mine/:account` takes it (either case)
 * @returns the 20 address bytes
 * @throws LodeError('protocol') naming the rule that failed (length, hex, checksum)
 * @see facts/warthog.md §4.2 (NODE src/shared/src/crypto/address.cpp)
 */
export function parseWarthogAddress(text: string): Buffer {
  if (!ADDRESS_HEX.test(text)) {
    throw new LodeError('protocol', `address "${text.slice(0, 60)}" is not 48 hex digits (20 bytes and a 4-byte checksum)`);
  }
  const bytes = Buffer.from(text, 'hex');
  const address = bytes.subarray(0, 20);
  const checksum = createHash('sha256').update(address).digest().subarray(0, 4);
  if (!checksum.equals(bytes.subarray(20))) {
    throw new LodeError('protocol', `address ${text} has checksum ${bytes.subarray(20).toString('hex')}, SHA-256 of its 20 bytes starts ${checksum.toString('hex')}`);
  }
  return Buffer.from(address);
}

/**
 * The devnet's account id of an address: the first 6 bytes of
 * SHA-256("lode-devnet account" ‖ address20) + 1, a safe integer. The real
 * node numbers accounts in order of first appearance; a hash needs no
 * state and is the same on every run.
 */
export function devnetAccountId(address20: Buffer): bigint {
  const digest = createHash('sha256').update('lode-devnet account').update(address20).digest();
  return BigInt(digest.readUIntBE(0, 6)) + 1n;
}
