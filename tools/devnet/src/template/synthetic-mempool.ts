import { randomBytes } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import { displayHex } from '../bytes/hex';
import { makeSyntheticTransaction } from './synthetic-transaction';
import type { MempoolTransaction, RandomBytes } from './synthetic-transaction';

/** Options of a {@link SyntheticMempool}. */
export interface SyntheticMempoolOptions {
  /** random source; default node:crypto randomBytes */
  random?: RandomBytes;
  /** fewest transactions per refresh; default 0 */
  minTransactions?: number;
  /** most transactions per refresh; default 3 */
  maxTransactions?: number;
  /** how many offered-but-unconfirmed transactions stay spendable; default 1024 (oldest forgotten first) */
  spendableCap?: number;
}

/**
 * The devnet's mempool: a fresh set of synthetic transactions on every
 * refresh (the node refreshes on each new block and every N seconds), and
 * the record of which offered transactions a block may still include.
 *
 * `transactionsUpdated` counts refreshes, like bitcoind's
 * nTransactionsUpdated, and is the suffix of the template's longpollid.
 * Transaction index 0 of a non-empty set is always segwit-serialized (so a
 * template with transactions always has a wtxid != txid); the others are
 * segwit or legacy at random.
 */
export class SyntheticMempool {
  private current: MempoolTransaction[] = [];
  private readonly spendable = new Map<string, bigint>();
  private updates = 0;
  private readonly random: RandomBytes;
  private readonly min: number;
  private readonly max: number;
  private readonly cap: number;

  /** @throws LodeError('config') when the transaction range is not 0 <= min <= max <= 100 */
  constructor(options: SyntheticMempoolOptions = {}) {
    this.random = options.random ?? randomBytes;
    this.min = options.minTransactions ?? 0;
    this.max = options.maxTransactions ?? 3;
    this.cap = options.spendableCap ?? 1024;
    if (!(Number.isInteger(this.min) && Number.isInteger(this.max) && this.min >= 0 && this.min <= this.max && this.max <= 100)) {
      throw new LodeError('config', `transactions per template ${this.min}..${this.max} is not a range within 0..100`);
    }
    this.refresh();
  }

  /** The transactions the next template offers, in template order. */
  get transactions(): readonly MempoolTransaction[] {
    return this.current;
  }

  /** How many times the transaction set changed (bitcoind's nTransactionsUpdated). */
  get transactionsUpdated(): number {
    return this.updates;
  }

  /** Replaces the offered set with 0..3 (configurable) new synthetic transactions. */
  refresh(): void {
    const count = this.min + (this.random(1)[0] % (this.max - this.min + 1));
    const next: MempoolTransaction[] = [];
    for (let i = 0; i < count; i++) next.push(makeSyntheticTransaction(this.random, i === 0 || (this.random(1)[0] & 1) === 1));
    this.current = next;
    for (const tx of next) this.remember(displayHex(tx.txid), tx.fee);
    this.updates++;
  }

  /** The fee (satoshis) of an offered, unconfirmed transaction by display txid; undefined otherwise. */
  feeOf(txid: string): bigint | undefined {
    return this.spendable.get(txid);
  }

  /** Forgets the transactions a connected block confirmed (display txids), then refreshes. */
  blockConnected(txids: readonly string[]): void {
    for (const txid of txids) this.spendable.delete(txid);
    this.refresh();
  }

  private remember(txid: string, fee: bigint): void {
    this.spendable.set(txid, fee);
    while (this.spendable.size > this.cap) {
      const oldest = this.spendable.keys().next().value;
      if (oldest === undefined) break;
      this.spendable.delete(oldest);
    }
  }
}
