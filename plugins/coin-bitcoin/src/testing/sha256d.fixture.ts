import { createHash } from 'node:crypto';

/**
 * sha256d written out in the tests with node:crypto, so that expected hashes
 * never go through the code under test.
 */
export function referenceSha256d(data: Buffer): Buffer {
  return createHash('sha256').update(createHash('sha256').update(data).digest()).digest();
}

/** display hex -> raw bytes (reversed). */
export function rawFromDisplay(displayHex: string): Buffer {
  return Buffer.from(displayHex, 'hex').reverse();
}

/** raw bytes -> display hex (reversed). */
export function displayFromRaw(raw: Buffer): string {
  return Buffer.from(raw).reverse().toString('hex');
}
