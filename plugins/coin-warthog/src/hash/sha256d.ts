import { sha256 } from './sha256';

/**
 * SHA-256(SHA-256(data)), 32 bytes in digest order: for an 80-byte header,
 * Warthog's block id (the API's `hash`, the next block's prevHash, the node's
 * solo-stratum job id), printed as hex **without** byte reversal.
 *
 * @see facts/warthog.md §1.1 step 1, §2 (block id), §6-A
 */
export function sha256d(data: Uint8Array): Buffer {
  return sha256(sha256(data));
}
