import { createHash } from 'node:crypto';
import { decodeBlock } from '../block/block-codec';
import { checkTransaction } from '../validate/check-transaction';
import { SyntheticMempool } from './synthetic-mempool';

const dsha = (b: Buffer): Buffer => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
const show = (b: Buffer): string => Buffer.from(b).reverse().toString('hex');

describe('SyntheticMempool', () => {
  describe('when refreshed', () => {
    it('offers between min and max transactions and counts the update', () => {
      const mempool = new SyntheticMempool({ minTransactions: 1, maxTransactions: 2 });
      expect(mempool.transactionsUpdated).toBe(1);
      for (let i = 0; i < 20; i++) {
        mempool.refresh();
        expect(mempool.transactions.length).toBeGreaterThanOrEqual(1);
        expect(mempool.transactions.length).toBeLessThanOrEqual(2);
      }
      expect(mempool.transactionsUpdated).toBe(21);
    });

    it('serializes the first transaction with witness, so its wtxid differs from its txid', () => {
      const mempool = new SyntheticMempool({ minTransactions: 3, maxTransactions: 3 });
      const first = mempool.transactions[0];
      expect(first.data.subarray(4, 6).toString('hex')).toBe('0001');
      expect(show(dsha(first.data))).toBe(show(first.wtxid));
      expect(first.wtxid.equals(first.txid)).toBe(false);
    });

    it('makes transactions that decode and pass the context-free checks', () => {
      const mempool = new SyntheticMempool({ minTransactions: 3, maxTransactions: 3 });
      // wrap them in a dummy block (header of zeros) to decode them with the block decoder
      const bytes = Buffer.concat([Buffer.alloc(80), Buffer.from([3]), ...mempool.transactions.map((t) => t.data)]);
      const decoded = decodeBlock(bytes);
      expect(decoded.trailingBytes).toBe(0);
      decoded.transactions.forEach((t, i) => {
        expect(t.txid.equals(mempool.transactions[i].txid)).toBe(true);
        expect(checkTransaction(t.tx)).toBeNull();
      });
    });
  });

  describe('when asked for fees', () => {
    it('knows offered transactions until a block confirms them', () => {
      const mempool = new SyntheticMempool({ minTransactions: 2, maxTransactions: 2 });
      const [a, b] = mempool.transactions;
      mempool.refresh();
      expect(mempool.feeOf(show(a.txid))).toBe(a.fee);
      mempool.blockConnected([show(a.txid)]);
      expect(mempool.feeOf(show(a.txid))).toBeUndefined();
      expect(mempool.feeOf(show(b.txid))).toBe(b.fee);
    });

    it('forgets the oldest beyond the cap', () => {
      const mempool = new SyntheticMempool({ minTransactions: 1, maxTransactions: 1, spendableCap: 2 });
      const oldest = mempool.transactions[0];
      mempool.refresh();
      mempool.refresh();
      expect(mempool.feeOf(show(oldest.txid))).toBeUndefined();
      expect(mempool.feeOf(show(mempool.transactions[0].txid))).toBe(mempool.transactions[0].fee);
    });
  });

  describe('when the range is invalid', () => {
    it('throws a config error', () => {
      expect(() => new SyntheticMempool({ minTransactions: 3, maxTransactions: 1 })).toThrow(/not a range/);
    });
  });
});
