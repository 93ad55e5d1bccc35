/** Reused by displayHash: the reversed bytes live here only until toString returns. */
let reversed = Buffer.allocUnsafe(32);

/**
 * A hash in hash order (header hash, txid, merkle root: 32 bytes read as a
 * little-endian number) as explorers and RPC print it: bytes reversed, hex.
 * The input is not modified (the bytes are reversed into a reused scratch
 * buffer: no allocation but the string, as this runs once per share).
 *
 * @see facts/bitcoin-stratum.md rule 1
 */
export function displayHash(hash: Uint8Array): string {
  const length = hash.length;
  if (reversed.length < length) reversed = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) reversed[i] = hash[length - 1 - i] as number;
  return reversed.toString('hex', 0, length);
}
