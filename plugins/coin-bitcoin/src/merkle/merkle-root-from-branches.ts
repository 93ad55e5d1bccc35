import { sha256d } from '../hash/sha256d';

/**
 * Folds the coinbase hash through a Stratum merkle branch:
 * r = coinbaseHash; for each b: r = sha256d(r | b).
 *
 * @param coinbaseHash sha256d of the coinbase without witness (its txid), raw bytes
 * @param branches the branch from mining.notify, raw bytes, bottom level first
 * @returns the merkle root as it goes into the header, raw bytes (32)
 * @see facts/bitcoin-stratum.md rule 5
 */
export function merkleRootFromBranches(coinbaseHash: Buffer, branches: readonly Buffer[]): Buffer {
  let root = coinbaseHash;
  for (const branch of branches) root = sha256d(Buffer.concat([root, branch]));
  return root;
}
