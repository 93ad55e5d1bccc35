import { LodeError } from '@lode/plugin-api';
import { sha256 } from '../hash/sha256';

/** Bytes of the extranonce area (body[0..10]) every block since height 981,500 has. */
export const WARTHOG_EXTRANONCE_BYTES = 10;

/**
 * Warthog's merkle root of a share: SHA-256(merklePrefix ‖ extranonce1 ‖
 * extranonce2), one SHA-256 (not sha256d), the two extranonces making the
 * block body's 10-byte extranonce area.
 *
 * The node's merklePrefix is the top level of the body's merkle tree: the one
 * leaf hash (32 bytes) or the two children of the root (64 bytes).
 *
 * @param merklePrefix 32 or 64 bytes (`/chain/mine` `merklePrefix`, stratum notify param 3)
 * @param extranonce1 the session's bytes
 * @param extranonce2 the miner's bytes; |extranonce1| + |extranonce2| = 10
 * @returns the 32-byte merkle root (header bytes 36..67)
 * @throws LodeError('share') when the extranonces are not 10 bytes together;
 *   LodeError('protocol') for a prefix that is not 32 or 64 bytes
 * @see facts/warthog.md §4.4, §6-C; specs/004_8dfd75be62003ef5.txt "Merkle root computation"
 */
export function warthogMerkleRoot(merklePrefix: Buffer, extranonce1: Buffer, extranonce2: Buffer): Buffer {
  if (merklePrefix.length !== 32 && merklePrefix.length !== 64) {
    throw new LodeError('protocol', `merklePrefix is ${merklePrefix.length} bytes, expected 32 (one leaf) or 64 (two children)`);
  }
  const total = extranonce1.length + extranonce2.length;
  if (total !== WARTHOG_EXTRANONCE_BYTES) {
    throw new LodeError(
      'share',
      `extranonce1 (${extranonce1.length} bytes) + extranonce2 (${extranonce2.length} bytes) is ${total} bytes, Warthog's merkle root takes exactly ${WARTHOG_EXTRANONCE_BYTES}`,
    );
  }
  return sha256(merklePrefix, extranonce1, extranonce2);
}
