import { LodeError } from '@lode/stratum-core';
import { ByteReader } from '../bytes/byte-reader';
import { ByteWriter } from '../bytes/byte-writer';
import { sha256d } from '../bytes/sha256d';
import { hasWitness } from './transaction';
import type { HashedTransaction, Transaction, TxInput, TxOutput } from './transaction';

function readInputs(reader: ByteReader): TxInput[] {
  const count = reader.readCompactSize();
  const inputs: TxInput[] = [];
  for (let i = 0; i < count; i++) {
    const prevTxid = reader.readBytes(32);
    const prevIndex = reader.readUInt32LE();
    const scriptSig = reader.readVarBytes();
    const sequence = reader.readUInt32LE();
    inputs.push({ prevTxid, prevIndex, scriptSig, sequence, witness: [] });
  }
  return inputs;
}

function readOutputs(reader: ByteReader): TxOutput[] {
  const count = reader.readCompactSize();
  const outputs: TxOutput[] = [];
  for (let i = 0; i < count; i++) {
    const value = reader.readInt64LE();
    outputs.push({ value, scriptPubKey: reader.readVarBytes() });
  }
  return outputs;
}

/**
 * Reads one transaction, with or without the segwit marker/flag, exactly as
 * bitcoind's UnserializeTransaction does: an empty input vector followed by
 * a flag byte announces the extended format; flag bit 0 means witnesses
 * follow; witness stacks that are all empty ("Superfluous witness record")
 * and unknown flag bits are errors.
 *
 * @throws LodeError('protocol') when the bytes are not a transaction
 * @see BIP 144 "Serialization"; Bitcoin Core src/primitives/transaction.h
 */
export function readTransaction(reader: ByteReader): Transaction {
  const version = reader.readInt32LE();
  let inputs = readInputs(reader);
  let outputs: TxOutput[] = [];
  let flags = 0;
  if (inputs.length === 0) {
    flags = reader.readUInt8();
    if (flags !== 0) {
      inputs = readInputs(reader);
      outputs = readOutputs(reader);
    }
  } else {
    outputs = readOutputs(reader);
  }
  if ((flags & 1) !== 0) {
    flags ^= 1;
    for (const input of inputs) {
      const items = reader.readCompactSize();
      for (let i = 0; i < items; i++) input.witness.push(reader.readVarBytes());
    }
    if (!inputs.some((input) => input.witness.length > 0)) {
      throw new LodeError('protocol', 'Superfluous witness record: the segwit flag is set but every witness stack is empty');
    }
  }
  if (flags !== 0) {
    throw new LodeError('protocol', `Unknown transaction optional data: segwit flag byte 0x${flags.toString(16)}`);
  }
  const locktime = reader.readUInt32LE();
  return { version, inputs, outputs, locktime };
}

/**
 * Serializes a transaction. With `withWitness` and a transaction that has a
 * witness, writes the BIP 144 form (marker 00, flag 01, witnesses before
 * the locktime); otherwise the legacy form that the txid hashes.
 *
 * @see BIP 144 "Serialization"
 */
export function serializeTransaction(tx: Transaction, withWitness: boolean): Buffer {
  const extended = withWitness && hasWitness(tx);
  const w = new ByteWriter().writeInt32LE(tx.version);
  if (extended) w.writeUInt8(0).writeUInt8(1);
  w.writeCompactSize(tx.inputs.length);
  for (const input of tx.inputs) {
    w.writeBytes(input.prevTxid).writeUInt32LE(input.prevIndex).writeVarBytes(input.scriptSig).writeUInt32LE(input.sequence);
  }
  w.writeCompactSize(tx.outputs.length);
  for (const output of tx.outputs) w.writeInt64LE(output.value).writeVarBytes(output.scriptPubKey);
  if (extended) {
    for (const input of tx.inputs) {
      w.writeCompactSize(input.witness.length);
      for (const item of input.witness) w.writeVarBytes(item);
    }
  }
  return w.writeUInt32LE(tx.locktime).toBuffer();
}

/**
 * Computes txid, wtxid, sizes and weight of a transaction.
 *
 * @see BIP 141 "Transaction ID" and "Block size"
 */
export function hashTransaction(tx: Transaction): HashedTransaction {
  const base = serializeTransaction(tx, false);
  const full = hasWitness(tx) ? serializeTransaction(tx, true) : base;
  const txid = sha256d(base);
  return {
    tx,
    txid,
    wtxid: full === base ? txid : sha256d(full),
    baseSize: base.length,
    totalSize: full.length,
    weight: base.length * 3 + full.length,
  };
}
