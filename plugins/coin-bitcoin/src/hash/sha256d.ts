import * as crypto from 'node:crypto';

type OneShotHash = (algorithm: string, data: crypto.BinaryLike, outputEncoding: 'buffer') => Buffer;

/**
 * node's one-shot `crypto.hash` (node >= 20.12 and >= 21.7): no Hash object
 * per call, about 40 % cheaper than `createHash` for a coinbase-sized input
 * (docs/performance.md (b)). Undefined on older nodes, where `createHash`
 * is used instead.
 */
const oneShot = (crypto as { hash?: OneShotHash }).hash;

/**
 * Bitcoin's double SHA-256: SHA-256(SHA-256(data)), 32 bytes in hash order
 * (read as a little-endian number; explorers print them reversed).
 *
 * Used for the coinbase txid (once per share), merkle folding and block
 * hashes; share headers go through the native hasher instead. Any length of
 * input, the empty one included.
 *
 * @param data the bytes to hash (a Buffer or any Uint8Array)
 * @returns a new 32-byte Buffer
 * @see facts/bitcoin-stratum.md rule 1 and rule 5
 */
export function sha256d(data: Uint8Array): Buffer {
  if (oneShot !== undefined) return oneShot('sha256', oneShot('sha256', data, 'buffer'), 'buffer');
  const once = crypto.createHash('sha256').update(data).digest();
  return crypto.createHash('sha256').update(once).digest();
}
