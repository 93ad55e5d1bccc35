/**
 * A hash in hash order (header hash, txid, merkle root: 32 bytes read as a
 * little-endian number) as explorers and RPC print it: bytes reversed, hex.
 * The input is not modified.
 *
 * @see facts/bitcoin-stratum.md rule 1
 */
export function displayHash(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}
