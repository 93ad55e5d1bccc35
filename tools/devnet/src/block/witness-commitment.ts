import { sha256d } from '../bytes/sha256d';
import { merkleRoot } from './merkle-root';
import type { Transaction } from './transaction';

/** The first 6 bytes of a witness commitment output script: OP_RETURN, push 36, aa21a9ed. */
export const WITNESS_COMMITMENT_PREFIX = Buffer.from('6a24aa21a9ed', 'hex');

/**
 * The witness merkle root of a block: the merkle root of its wtxids with the
 * coinbase's wtxid taken as 32 zero bytes.
 *
 * @param wtxids wtxids in block order, internal bytes; the first (coinbase) is ignored
 * @returns 32 bytes, internal order
 * @see BIP 141 "Commitment structure"
 */
export function witnessMerkleRoot(wtxids: readonly Buffer[]): Buffer {
  return merkleRoot([Buffer.alloc(32), ...wtxids.slice(1)]).root;
}

/**
 * The 38-byte commitment output script
 * `6a24aa21a9ed ‖ sha256d(witness root ‖ reserved value)`.
 *
 * @param witnessRoot 32 bytes, internal order
 * @param reservedValue the coinbase's witness reserved value (32 bytes; bitcoind uses zeros)
 * @see BIP 141 "Commitment structure"
 */
export function witnessCommitmentScript(witnessRoot: Buffer, reservedValue: Buffer = Buffer.alloc(32)): Buffer {
  return Buffer.concat([WITNESS_COMMITMENT_PREFIX, sha256d(Buffer.concat([witnessRoot, reservedValue]))]);
}

/**
 * The index of the coinbase output that carries the witness commitment: the
 * LAST output whose script is at least 38 bytes and starts with
 * `6a24aa21a9ed`; -1 when there is none.
 *
 * @see BIP 141 "Commitment structure"; Bitcoin Core src/consensus/validation.h (GetWitnessCommitmentIndex)
 */
export function witnessCommitmentIndex(coinbase: Transaction): number {
  for (let i = coinbase.outputs.length - 1; i >= 0; i--) {
    const script = coinbase.outputs[i].scriptPubKey;
    if (script.length >= 38 && script.subarray(0, 6).equals(WITNESS_COMMITMENT_PREFIX)) return i;
  }
  return -1;
}
