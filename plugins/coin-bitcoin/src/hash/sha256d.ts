import { createHash } from 'node:crypto';

/**
 * Bitcoin's double SHA-256: SHA-256(SHA-256(data)), 32 bytes in hash order
 * (read as a little-endian number; explorers print them reversed).
 *
 * Used for the coinbase txid, merkle folding and block hashes, i.e. once per
 * job or per share; share headers go through the native hasher instead.
 *
 * @see facts/bitcoin-stratum.md rule 1 and rule 5
 */
export function sha256d(data: Uint8Array): Buffer {
  const once = createHash('sha256').update(data).digest();
  return createHash('sha256').update(once).digest();
}
