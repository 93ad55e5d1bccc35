import { isCoinbase, isNullOutpoint } from '../block/transaction';
import type { Transaction } from '../block/transaction';
import { serializeTransaction } from '../block/transaction-codec';
import { LOCKTIME_THRESHOLD, MAX_BLOCK_WEIGHT, MAX_MONEY, WITNESS_SCALE_FACTOR } from './reject-reason';
import type { RejectReason } from './reject-reason';

/**
 * The context-free checks of one transaction, in bitcoind's order.
 *
 * @returns the reject reason, or null when the transaction passes
 * @see Bitcoin Core src/consensus/tx_check.cpp (CheckTransaction)
 */
export function checkTransaction(tx: Transaction): RejectReason | null {
  if (tx.inputs.length === 0) return 'bad-txns-vin-empty';
  if (tx.outputs.length === 0) return 'bad-txns-vout-empty';
  if (serializeTransaction(tx, false).length * WITNESS_SCALE_FACTOR > MAX_BLOCK_WEIGHT) return 'bad-txns-oversize';
  let total = 0n;
  for (const output of tx.outputs) {
    if (output.value < 0n) return 'bad-txns-vout-negative';
    if (output.value > MAX_MONEY) return 'bad-txns-vout-toolarge';
    total += output.value;
    if (total > MAX_MONEY) return 'bad-txns-txouttotal-toolarge';
  }
  const outpoints = new Set<string>();
  for (const input of tx.inputs) {
    const key = `${input.prevTxid.toString('hex')}:${input.prevIndex}`;
    if (outpoints.has(key)) return 'bad-txns-inputs-duplicate';
    outpoints.add(key);
  }
  if (isCoinbase(tx)) {
    const length = tx.inputs[0].scriptSig.length;
    if (length < 2 || length > 100) return 'bad-cb-length';
  } else if (tx.inputs.some(isNullOutpoint)) {
    return 'bad-txns-prevout-null';
  }
  return null;
}

/**
 * Whether a transaction is final in a block at `height` whose locktime
 * cutoff (the parent's median time past, BIP 113) is `cutoffTime` seconds.
 *
 * @see Bitcoin Core src/consensus/tx_verify.cpp (IsFinalTx)
 */
export function isFinalTransaction(tx: Transaction, height: number, cutoffTime: number): boolean {
  if (tx.locktime === 0) return true;
  if (tx.locktime < (tx.locktime < LOCKTIME_THRESHOLD ? height : cutoffTime)) return true;
  return tx.inputs.every((input) => input.sequence === 0xffffffff);
}
