import { decodeBlock } from '../block/block-codec';
import { serializeTransaction } from '../block/transaction-codec';
import { handBlock } from '../testing/hand-block';
import type { TemplateLike } from '../testing/hand-block';
import { MAINNET_100000, TESTNET_1263442 } from '../testing/real-blocks';
import { checkBlockContextFree, validateBlock } from './check-block';
import type { BlockRules } from './check-block';
import { withDefaultWitnessNonce } from './default-witness-nonce';

// testnet3 and mainnet powLimit: 0x00000000ffff… (nBits 1d00ffff), rounded up to 2^224 - 1
const POW_LIMIT_MAIN = (1n << 224n) - 1n;
// vout[0] of the 1263442 coinbase pays 4423a80400000000 (LE) = 78,127,940 sat;
// the subsidy at that height is 50 BTC >> 6 = 78,125,000 sat, so the fee of tx 1 is at least 2,940
const TESTNET_SUBSIDY = 78_125_000n;
const TESTNET_FEE = 2_940n;

const testnetRules = (over: Partial<BlockRules> = {}): BlockRules => ({
  checkProofOfWork: true,
  powLimit: POW_LIMIT_MAIN,
  height: TESTNET_1263442.height,
  bits: TESTNET_1263442.bits,
  medianTimePast: TESTNET_1263442.time - 1,
  now: TESTNET_1263442.time,
  subsidy: TESTNET_SUBSIDY,
  transactionFee: () => TESTNET_FEE,
  ...over,
});

const mainnetRules = (over: Partial<BlockRules> = {}): BlockRules => ({
  checkProofOfWork: true,
  powLimit: POW_LIMIT_MAIN,
  height: MAINNET_100000.height,
  bits: MAINNET_100000.bits,
  medianTimePast: MAINNET_100000.time - 1,
  now: MAINNET_100000.time,
  minVersion: 1,
  bip34: false,
  subsidy: 5_000_000_000n,
  transactionFee: () => 0n,
  ...over,
});

const testnet = (hex: string = TESTNET_1263442.hex) => decodeBlock(Buffer.from(hex, 'hex'));
const replaceOnce = (hex: string, from: string, to: string): string => {
  const at = hex.indexOf(from);
  if (at < 0 || hex.indexOf(from, at + 1) >= 0) throw new Error(`"${from}" is not in the block exactly once`);
  return hex.slice(0, at) + to + hex.slice(at + from.length);
};
const RESERVED = `0120${'00'.repeat(32)}`;

describe('validateBlock', () => {
  describe('when given real blocks at the position they were mined', () => {
    it('accepts testnet3 1263442 (witness commitment, BIP 34 height 1263442)', () => {
      expect(validateBlock(testnet(), testnetRules())).toBeNull();
    });

    it('accepts mainnet 100000 under pre-BIP 34 rules', () => {
      expect(validateBlock(decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex')), mainnetRules())).toBeNull();
    });
  });

  describe('when a header field is tampered', () => {
    it('answers high-hash for another nonce', () => {
      const hex = TESTNET_1263442.hex.slice(0, 152) + 'ffffffff' + TESTNET_1263442.hex.slice(160);
      expect(validateBlock(testnet(hex), testnetRules())).toBe('high-hash');
    });

    it('answers high-hash for an nBits above the limit', () => {
      expect(validateBlock(testnet(), testnetRules({ powLimit: (1n << 200n) - 1n }))).toBe('high-hash');
    });

    it('answers bad-diffbits when the chain expects other bits', () => {
      expect(validateBlock(testnet(), testnetRules({ bits: 0x1d00ffff }))).toBe('bad-diffbits');
    });

    it('answers time-too-old when the time is not above the median time past', () => {
      expect(validateBlock(testnet(), testnetRules({ medianTimePast: TESTNET_1263442.time }))).toBe('time-too-old');
    });

    it('answers time-too-new when the time is more than 2 hours ahead', () => {
      expect(validateBlock(testnet(), testnetRules({ now: TESTNET_1263442.time - 7201 }))).toBe('time-too-new');
      expect(validateBlock(testnet(), testnetRules({ now: TESTNET_1263442.time - 7200 }))).toBeNull();
    });

    it('answers bad-version(0x00000001) for a version-1 block once BIP 65 is active', () => {
      expect(validateBlock(decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex')), mainnetRules({ minVersion: 4 }))).toBe(
        'bad-version(0x00000001)',
      );
    });
  });

  describe('when the transactions do not match the header', () => {
    it('answers bad-txnmrklroot for a changed locktime of tx 1', () => {
      const hex = `${TESTNET_1263442.hex.slice(0, -8)}01000000`;
      expect(validateBlock(testnet(hex), testnetRules())).toBe('bad-txnmrklroot');
    });
  });

  describe('when the coinbase breaks a rule', () => {
    it('answers bad-cb-height at another height', () => {
      expect(validateBlock(testnet(), testnetRules({ height: TESTNET_1263442.height + 1 }))).toBe('bad-cb-height');
    });

    it('answers bad-cb-height for a pre-BIP 34 coinbase when BIP 34 applies', () => {
      expect(validateBlock(decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex')), mainnetRules({ bip34: true }))).toBe('bad-cb-height');
    });

    it('answers bad-cb-amount when the outputs exceed subsidy + fees by 1 sat', () => {
      expect(validateBlock(testnet(), testnetRules({ transactionFee: () => TESTNET_FEE - 1n }))).toBe('bad-cb-amount');
    });

    it('answers bad-txns-inputs-missingorspent for a transaction the node does not know', () => {
      expect(validateBlock(testnet(), testnetRules({ transactionFee: () => undefined }))).toBe('bad-txns-inputs-missingorspent');
    });
  });

  describe('when the witness does not match the commitment', () => {
    it('answers bad-witness-merkle-match for another witness reserved value', () => {
      const hex = replaceOnce(TESTNET_1263442.hex, RESERVED, `0120${'00'.repeat(31)}01`);
      expect(validateBlock(testnet(hex), testnetRules())).toBe('bad-witness-merkle-match');
    });

    it('answers bad-witness-merkle-match when the witness of tx 1 changes (its wtxid, not its txid)', () => {
      const hex = replaceOnce(TESTNET_1263442.hex, '304402207d7ca961', '304402207d7ca962');
      expect(validateBlock(testnet(hex), testnetRules())).toBe('bad-witness-merkle-match');
    });

    it('answers bad-witness-nonce-size for a 31-byte reserved value', () => {
      const hex = replaceOnce(TESTNET_1263442.hex, RESERVED, `011f${'00'.repeat(31)}`);
      expect(validateBlock(testnet(hex), testnetRules())).toBe('bad-witness-nonce-size');
    });

    it('answers bad-witness-nonce-size for a coinbase without witness, unless given the default one', () => {
      const block = testnet();
      const tx1 = serializeTransaction(block.transactions[1].tx, true).toString('hex');
      const stripped = testnet(`${TESTNET_1263442.header}02${TESTNET_1263442.coinbaseWithoutWitness}${tx1}`);
      expect(validateBlock(stripped, testnetRules())).toBe('bad-witness-nonce-size');
      // submitblock's UpdateUncommittedBlockStructures adds the 32 zero bytes this block committed to
      expect(validateBlock(withDefaultWitnessNonce(stripped), testnetRules())).toBeNull();
    });
  });

  describe('when proof of work is not checked (proposal mode)', () => {
    it('accepts a block whose nonce does not meet its target', () => {
      const hex = TESTNET_1263442.hex.slice(0, 152) + 'ffffffff' + TESTNET_1263442.hex.slice(160);
      expect(validateBlock(testnet(hex), testnetRules({ checkProofOfWork: false }))).toBeNull();
    });
  });
});

describe('checkBlockContextFree and validateBlock on hand-built blocks', () => {
  const mainnet = decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex'));
  const txs = mainnet.transactions.slice(1).map((t) => ({
    data: serializeTransaction(t.tx, true).toString('hex'),
    txid: Buffer.from(t.txid).reverse().toString('hex'),
  }));
  const template: TemplateLike = {
    version: 0x20000000,
    previousblockhash: '00'.repeat(32),
    transactions: [],
    coinbasevalue: 5_000_000_000,
    curtime: 1_700_000_000,
    bits: '207fffff',
    height: 200,
    default_witness_commitment: '',
  };
  const rules = { checkProofOfWork: false, powLimit: (1n << 255n) - 1n };
  const check = (hex: string) => checkBlockContextFree(decodeBlock(Buffer.from(hex, 'hex')), rules);

  describe('when the transaction list is mutated (CVE-2012-2459)', () => {
    it('answers bad-txns-duplicate for a repeated last transaction that keeps the merkle root', () => {
      const block = handBlock(template, { commitment: null, witnessNonce: null, transactions: [txs[0], txs[1], txs[1]] });
      expect(check(block.hex)).toBe('bad-txns-duplicate');
    });
  });

  describe('when the coinbase is not first', () => {
    it('answers bad-cb-missing', () => {
      const block = handBlock(template, { commitment: null, witnessNonce: null, transactions: [txs[0]], coinbaseLast: true });
      expect(check(block.hex)).toBe('bad-cb-missing');
    });
  });

  describe('when a block without commitment carries witness data', () => {
    it('answers unexpected-witness from the contextual checks', () => {
      const segwitTx = decodeBlock(Buffer.from(TESTNET_1263442.hex, 'hex')).transactions[1];
      const block = handBlock(template, {
        commitment: null,
        witnessNonce: null,
        transactions: [{ data: serializeTransaction(segwitTx.tx, true).toString('hex'), txid: TESTNET_1263442.txids[1] }],
      });
      const decoded = decodeBlock(Buffer.from(block.hex, 'hex'));
      expect(
        validateBlock(decoded, {
          ...rules,
          height: 200,
          bits: 0x207fffff,
          medianTimePast: 0,
          now: 1_700_000_000,
          subsidy: 5_000_000_000n,
          transactionFee: () => 0n,
        }),
      ).toBe('unexpected-witness');
    });
  });
});
