import { LodeError } from '@lode/stratum-core';

/**
 * Throws LodeError('protocol') unless `hash` is a 32-byte Uint8Array
 * ("hash is 31 bytes, expected 32 bytes"). Internal.
 */
export function assertHash32(hash: Uint8Array): void {
  if (!(hash instanceof Uint8Array) || hash.length !== 32) {
    const length = hash instanceof Uint8Array ? `${hash.length} bytes` : typeof hash;
    throw new LodeError('protocol', `hash is ${length}, expected 32 bytes`);
  }
}
