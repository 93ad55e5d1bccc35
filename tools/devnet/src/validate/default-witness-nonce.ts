import type { DecodedBlock } from '../block/block-codec';
import { hasWitness } from '../block/transaction';
import { hashTransaction } from '../block/transaction-codec';
import { witnessCommitmentIndex } from '../block/witness-commitment';

/**
 * What bitcoind's `submitblock` does before validating (UpdateUncommitted-
 * BlockStructures): when the coinbase has a witness commitment output but
 * carries no witness at all, it is given the default witness reserved value,
 * one item of 32 zero bytes. Other blocks are returned unchanged.
 *
 * @returns the block, or a copy whose coinbase has the default witness
 * @see Bitcoin Core src/validation.cpp (ChainstateManager::UpdateUncommittedBlockStructures)
 */
export function withDefaultWitnessNonce(block: DecodedBlock): DecodedBlock {
  const coinbase = block.transactions[0];
  if (!coinbase || witnessCommitmentIndex(coinbase.tx) < 0 || hasWitness(coinbase.tx)) return block;
  const tx = { ...coinbase.tx, inputs: coinbase.tx.inputs.map((input, i) => (i === 0 ? { ...input, witness: [Buffer.alloc(32)] } : input)) };
  const rehashed = hashTransaction(tx);
  // the stripped size is unchanged: only the witness part of the coinbase grows
  const extra = rehashed.totalSize - coinbase.totalSize;
  return { ...block, transactions: [rehashed, ...block.transactions.slice(1)], size: block.size + extra, weight: block.weight + extra };
}
