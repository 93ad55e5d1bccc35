import { sha256d } from '../hash/sha256d';

/**
 * The Stratum merkle branch of the coinbase: the sibling hashes on the
 * coinbase's path to the merkle root, bottom level first, so that folding
 * `r = sha256d(r | b)` from r = sha256d(coinbase) yields the root.
 *
 * A level with an odd count pairs its last hash with itself (Bitcoin's rule,
 * Core's ComputeMerkleRoot). Computed once per job; shares only fold.
 *
 * @param txids the block's non-coinbase txids in block order, raw bytes
 *   (internal order: the display hex reversed), 32 bytes each
 * @returns the branch, raw bytes, 32 bytes each; empty when the block has
 *   only its coinbase
 * @see facts/bitcoin-blocks.md (the branch derivation of blocks 100000 and 1263442)
 */
export function merkleBranches(txids: readonly Buffer[]): Buffer[] {
  const branches: Buffer[] = [];
  // slot 0 stands for the (unknown) coinbase-side hash at every level
  let level: (Buffer | undefined)[] = [undefined, ...txids];
  while (level.length > 1) {
    branches.push(level[1] as Buffer);
    if (level.length % 2 === 1) level.push(level[level.length - 1]);
    const next: (Buffer | undefined)[] = [undefined];
    for (let i = 2; i < level.length; i += 2) {
      next.push(sha256d(Buffer.concat([level[i] as Buffer, level[i + 1] as Buffer])));
    }
    level = next;
  }
  return branches;
}
