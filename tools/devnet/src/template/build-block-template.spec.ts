import { decodeBlock } from '../block/block-codec';
import { serializeTransaction } from '../block/transaction-codec';
import { DevnetChain } from '../chain/devnet-chain';
import { dsha, internal, merkle } from '../testing/hand-block';
import { TESTNET_1263442 } from '../testing/real-blocks';
import { buildBlockTemplate } from './build-block-template';
import { SyntheticMempool } from './synthetic-mempool';
import type { MempoolTransaction } from './synthetic-transaction';

describe('buildBlockTemplate', () => {
  const chain = new DevnetChain();

  describe('when the only transaction is tx 1 of testnet3 block 1263442', () => {
    const decoded = decodeBlock(Buffer.from(TESTNET_1263442.hex, 'hex')).transactions[1];
    const tx: MempoolTransaction = { ...decoded, fee: 2_940n, sigopCost: 0, data: serializeTransaction(decoded.tx, true) };
    const template = buildBlockTemplate({
      tip: chain.tip,
      bits: chain.bits,
      subsidy: 5_000_000_000n,
      transactions: [tx],
      transactionsUpdated: 7,
      now: chain.tip.header.time + 600,
    });

    it('commits to the same witness root as that block (facts/bitcoin-blocks.md)', () => {
      expect(template.default_witness_commitment).toBe(TESTNET_1263442.commitmentScript);
    });

    it('lists the transaction with txid, wtxid as hash, fee and no dependencies', () => {
      expect(template.transactions).toEqual([
        {
          data: tx.data.toString('hex'),
          txid: TESTNET_1263442.txids[1],
          hash: TESTNET_1263442.wtxids[1],
          depends: [],
          fee: 2940,
          sigops: 0,
          weight: decoded.weight,
        },
      ]);
      expect(template.coinbasevalue).toBe(5_000_002_940);
    });

    it('has bitcoind shape: version, rules, limits, bits, target, times, longpollid', () => {
      expect(template).toMatchObject({
        capabilities: ['proposal'],
        version: 0x20000000,
        rules: ['csv', '!segwit', 'taproot'],
        vbavailable: {},
        vbrequired: 0,
        previousblockhash: chain.tip.hashHex,
        coinbaseaux: {},
        longpollid: `${chain.tip.hashHex}7`,
        target: `0000002${'0'.repeat(57)}`,
        mintime: chain.tip.header.time + 1,
        mutable: ['time', 'transactions', 'prevblock'],
        noncerange: '00000000ffffffff',
        sigoplimit: 80000,
        sizelimit: 4000000,
        weightlimit: 4000000,
        curtime: chain.tip.header.time + 600,
        bits: '1d200000',
        height: 1,
      });
      expect(Object.keys(template)).toEqual([
        'capabilities',
        'version',
        'rules',
        'vbavailable',
        'vbrequired',
        'previousblockhash',
        'transactions',
        'coinbaseaux',
        'coinbasevalue',
        'longpollid',
        'target',
        'mintime',
        'mutable',
        'noncerange',
        'sigoplimit',
        'sizelimit',
        'weightlimit',
        'curtime',
        'bits',
        'height',
        'default_witness_commitment',
      ]);
    });
  });

  describe('when the clock is behind the median time past', () => {
    it('sets curtime to mintime', () => {
      const template = buildBlockTemplate({ tip: chain.tip, bits: chain.bits, subsidy: 1n, transactions: [], transactionsUpdated: 1, now: 0 });
      expect(template.curtime).toBe(template.mintime);
    });
  });

  describe('when given synthetic mempool transactions', () => {
    it('commits to sha256d(witness root of [0^32, wtxids…] ‖ 0^32), recomputed independently', () => {
      const mempool = new SyntheticMempool({ minTransactions: 3, maxTransactions: 3 });
      const template = buildBlockTemplate({
        tip: chain.tip,
        bits: chain.bits,
        subsidy: 5_000_000_000n,
        transactions: mempool.transactions,
        transactionsUpdated: mempool.transactionsUpdated,
        now: 0,
      });
      const root = merkle([Buffer.alloc(32), ...template.transactions.map((t) => internal(t.hash))]);
      const expected = `6a24aa21a9ed${dsha(Buffer.concat([root, Buffer.alloc(32)])).toString('hex')}`;
      expect(template.default_witness_commitment).toBe(expected);
      expect(template.coinbasevalue).toBe(5_000_000_000 + template.transactions.reduce((s, t) => s + t.fee, 0));
    });
  });
});
