/**
 * A transaction input. `prevTxid` is the spent transaction's id in internal
 * byte order (32 raw bytes); `witness` is the input's witness stack (empty
 * when the input has none).
 *
 * @see BIP 141 "Transaction ID"; Bitcoin Core src/primitives/transaction.h (CTxIn)
 */
export interface TxInput {
  prevTxid: Buffer;
  prevIndex: number;
  scriptSig: Buffer;
  sequence: number;
  witness: Buffer[];
}

/** A transaction output: `value` in satoshis (int64), `scriptPubKey` raw bytes. */
export interface TxOutput {
  value: bigint;
  scriptPubKey: Buffer;
}

/**
 * A transaction as bitcoind models it (CTransaction): version (int32),
 * inputs, outputs, locktime (uint32).
 */
export interface Transaction {
  version: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  locktime: number;
}

/**
 * A transaction together with the figures derived from its two
 * serializations.
 *
 * - `txid`: sha256d of the serialization without witness, internal bytes
 * - `wtxid`: sha256d of the serialization with witness (equal to `txid` when
 *   the transaction has no witness), internal bytes
 * - `baseSize` / `totalSize`: bytes without / with witness
 * - `weight`: baseSize * 3 + totalSize (BIP 141 "Block size")
 */
export interface HashedTransaction {
  tx: Transaction;
  txid: Buffer;
  wtxid: Buffer;
  baseSize: number;
  totalSize: number;
  weight: number;
}

const ZERO_HASH = Buffer.alloc(32);

/** True when any input carries a non-empty witness stack (CTransaction::HasWitness). */
export function hasWitness(tx: Transaction): boolean {
  return tx.inputs.some((input) => input.witness.length > 0);
}

/** True for a null outpoint: all-zero txid and index 0xffffffff (COutPoint::IsNull). */
export function isNullOutpoint(input: TxInput): boolean {
  return input.prevIndex === 0xffffffff && input.prevTxid.equals(ZERO_HASH);
}

/** True when `tx` is a coinbase: exactly one input, spending the null outpoint (CTransaction::IsCoinBase). */
export function isCoinbase(tx: Transaction): boolean {
  return tx.inputs.length === 1 && isNullOutpoint(tx.inputs[0]);
}
