import { assertHash32 } from './assert-hash32';

/**
 * Reads a 32-byte hash as the 256-bit number Bitcoin compares with the
 * target: the bytes in hash order (as SHA-256d outputs them) read
 * little-endian. Explorers print the same number big-endian, so
 * `hashToBigInt(h) === BigInt('0x' + displayHex)` where displayHex is the
 * reversed bytes.
 *
 * @param hash 32 bytes in hash (internal) order
 * @returns 0 <= value < 2^256
 * @throws LodeError('protocol') if hash is not 32 bytes ("hash is 31 bytes, expected 32")
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export function hashToBigInt(hash: Uint8Array): bigint {
  assertHash32(hash);
  return BigInt('0x' + Buffer.from(hash).reverse().toString('hex'));
}
