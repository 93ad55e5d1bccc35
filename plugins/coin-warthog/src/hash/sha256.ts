import { createHash } from 'node:crypto';

/**
 * One SHA-256 (node:crypto), 32 bytes. Warthog's merkle root and the address
 * checksum are single SHA-256 (facts/warthog.md §4.2, §4.4).
 */
export function sha256(...parts: Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
