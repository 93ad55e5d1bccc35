import { sha256d } from '../bytes/sha256d';

/**
 * A merkle root and whether the tree was "mutated": two equal sibling
 * hashes at any level (CVE-2012-2459), which bitcoind reports as
 * "bad-txns-duplicate".
 */
export interface MerkleResult {
  root: Buffer;
  mutated: boolean;
}

/**
 * Bitcoin's merkle root over 32-byte leaves in internal byte order: pairs
 * are hashed with sha256d(left ‖ right), and a level with an odd count pairs
 * its last hash with itself. No leaves gives 32 zero bytes.
 *
 * @see Bitcoin Core src/consensus/merkle.cpp (ComputeMerkleRoot); facts/bitcoin-blocks.md
 */
export function merkleRoot(leaves: readonly Buffer[]): MerkleResult {
  if (leaves.length === 0) return { root: Buffer.alloc(32), mutated: false };
  let level = leaves.slice();
  let mutated = false;
  while (level.length > 1) {
    for (let i = 0; i + 1 < level.length; i += 2) {
      if (level[i].equals(level[i + 1])) mutated = true;
    }
    if (level.length % 2 === 1) level.push(level[level.length - 1]);
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256d(Buffer.concat([level[i], level[i + 1]])));
    level = next;
  }
  return { root: level[0], mutated };
}
