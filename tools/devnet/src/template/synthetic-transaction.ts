import type { HashedTransaction, Transaction, TxInput, TxOutput } from '../block/transaction';
import { hashTransaction, serializeTransaction } from '../block/transaction-codec';
import { legacySigOpCount } from '../block/script';

/** A source of random bytes (node:crypto `randomBytes` by default; tests may pass a seeded one). */
export type RandomBytes = (size: number) => Buffer;

/**
 * A mempool transaction as a template offers it: the transaction with its
 * hashes and sizes, its fee (satoshis), its signature-operation cost
 * (legacy sigops * 4 + witness sigops, as bitcoind reports `sigops`), and
 * its full serialization (`data`, with witness when it has one).
 */
export interface MempoolTransaction extends HashedTransaction {
  fee: bigint;
  sigopCost: number;
  data: Buffer;
}

function randomUint(random: RandomBytes, below: number): number {
  return random(4).readUInt32LE(0) % below;
}

/** A DER-encoded ECDSA signature of the usual 71 bytes (with SIGHASH_ALL): well-formed, not valid. */
function fakeSignature(random: RandomBytes): Buffer {
  const r = random(32);
  const s = random(32);
  // keep both integers positive and minimally encoded so that the DER is strict
  r[0] = (r[0] & 0x7f) | 0x01;
  s[0] = (s[0] & 0x3f) | 0x01;
  return Buffer.concat([Buffer.from([0x30, 0x44, 0x02, 0x20]), r, Buffer.from([0x02, 0x20]), s, Buffer.from([0x01])]);
}

function fakePublicKey(random: RandomBytes): Buffer {
  return Buffer.concat([Buffer.from([0x02 + (random(1)[0] & 1)]), random(32)]);
}

function payTo(random: RandomBytes, segwit: boolean): TxOutput {
  const value = BigInt(10_000 + randomUint(random, 100_000_000));
  const scriptPubKey = segwit
    ? Buffer.concat([Buffer.from([0x00, 0x14]), random(20)])
    : Buffer.concat([Buffer.from([0x76, 0xa9, 0x14]), random(20), Buffer.from([0x88, 0xac])]);
  return { value, scriptPubKey };
}

/**
 * A synthetic but well-formed transaction for a template: one or two inputs
 * spending random (made-up) outpoints, one or two outputs, locktime 0, a fee
 * of 500..20,499 satoshis.
 *
 * - `segwit` true: a version-2 P2WPKH spend, empty scriptSig, witness
 *   [signature, public key], serialized with marker/flag, so wtxid != txid
 * - `segwit` false: a version-1 P2PKH spend with signature and public key
 *   pushed in the scriptSig
 *
 * The inputs are not real coins: the devnet has no UTXO set, and its
 * validator accepts exactly the transactions it offered (see SyntheticMempool).
 */
export function makeSyntheticTransaction(random: RandomBytes, segwit: boolean): MempoolTransaction {
  const inputCount = 1 + randomUint(random, 2);
  const inputs: TxInput[] = [];
  for (let i = 0; i < inputCount; i++) {
    const signature = fakeSignature(random);
    const publicKey = fakePublicKey(random);
    inputs.push({
      prevTxid: random(32),
      prevIndex: randomUint(random, 4),
      scriptSig: segwit
        ? Buffer.alloc(0)
        : Buffer.concat([Buffer.from([signature.length]), signature, Buffer.from([publicKey.length]), publicKey]),
      sequence: segwit ? 0xfffffffd : 0xffffffff,
      witness: segwit ? [signature, publicKey] : [],
    });
  }
  const outputs: TxOutput[] = [];
  const outputCount = 1 + randomUint(random, 2);
  for (let i = 0; i < outputCount; i++) outputs.push(payTo(random, segwit));
  const tx: Transaction = { version: segwit ? 2 : 1, inputs, outputs, locktime: 0 };
  const hashed = hashTransaction(tx);
  let legacy = 0;
  for (const input of inputs) legacy += legacySigOpCount(input.scriptSig);
  for (const output of outputs) legacy += legacySigOpCount(output.scriptPubKey);
  // a P2WPKH spend costs one witness sigop per input, unscaled (BIP 141 "Sigops")
  const witnessSigops = segwit ? inputCount : 0;
  return {
    ...hashed,
    fee: BigInt(500 + randomUint(random, 20_000)),
    sigopCost: legacy * 4 + witnessSigops,
    data: serializeTransaction(tx, true),
  };
}
