import { createHash } from 'node:crypto';

/**
 * SHA-256 of `data`, 32 raw bytes.
 *
 * @see FIPS 180-4; node:crypto
 */
export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * Bitcoin's double SHA-256: SHA-256(SHA-256(data)), 32 raw bytes in internal
 * order (an explorer prints them reversed).
 *
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export function sha256d(data: Uint8Array): Buffer {
  return sha256(sha256(data));
}
