import { Transaction } from 'bitcoinjs-lib';
import { TESTNET3_1263442 } from '../testing/real-blocks.fixture';
import { buildCoinbase, type BuildCoinbaseOptions } from './build-coinbase';

const P2PKH_GENESIS = Buffer.from('76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac', 'hex');
const P2TR_BIP350 = Buffer.from('512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex');
const COMMITMENT = TESTNET3_1263442.witnessCommitmentScript;

function options(overrides: Partial<BuildCoinbaseOptions> = {}): BuildCoinbaseOptions {
  return {
    template: { height: 1263442, coinbasevalue: 625_000_000, default_witness_commitment: COMMITMENT },
    payoutScript: P2PKH_GENESIS,
    tag: Buffer.from('/Lode/', 'utf8'),
    extranonce1Size: 4,
    extranonce2Size: 4,
    ...overrides,
  };
}

/** coinb1 | extranonce | coinb2, parsed by bitcoinjs-lib (an independent parser). */
function assemble(opts: BuildCoinbaseOptions, extranonce: Buffer): Transaction {
  const { coinb1, coinb2 } = buildCoinbase(opts);
  return Transaction.fromBuffer(Buffer.concat([coinb1, extranonce, coinb2]));
}

describe('buildCoinbase', () => {
  describe('when given a synthetic segwit template', () => {
    const extranonce = Buffer.from('a1a2a3a4b1b2b3b4', 'hex');
    const tx = assemble(options(), extranonce);

    it('builds a version 1 coinbase with one null-prevout input and locktime 0', () => {
      expect(tx.isCoinbase()).toBe(true);
      expect(tx.version).toBe(1);
      expect(tx.ins).toHaveLength(1);
      expect(tx.ins[0].index).toBe(0xffffffff);
      expect(tx.ins[0].sequence).toBe(0xffffffff);
      expect(tx.locktime).toBe(0);
    });

    it('writes scriptSig = height push | tag | extranonce placeholder', () => {
      const expected = '03524713' + Buffer.from('/Lode/').toString('hex') + 'a1a2a3a4b1b2b3b4';
      expect(Buffer.from(tx.ins[0].script).toString('hex')).toBe(expected);
    });

    it('ends coinb1 right before the placeholder and starts coinb2 right after it', () => {
      const { coinb1, coinb2 } = buildCoinbase(options());
      expect(coinb1.toString('hex').endsWith('03524713' + Buffer.from('/Lode/').toString('hex'))).toBe(true);
      expect(coinb2.subarray(0, 4).toString('hex')).toBe('ffffffff');
    });

    it('pays coinbasevalue to the payout script, then the witness commitment with value 0', () => {
      expect(tx.outs).toHaveLength(2);
      expect(tx.outs[0].value).toBe(625_000_000n);
      expect(Buffer.from(tx.outs[0].script)).toEqual(P2PKH_GENESIS);
      expect(tx.outs[1].value).toBe(0n);
      expect(Buffer.from(tx.outs[1].script).toString('hex')).toBe(COMMITMENT);
    });

    it('serializes without witness (no marker/flag)', () => {
      expect(tx.hasWitnesses()).toBe(false);
    });
  });

  describe('when the template has no default_witness_commitment', () => {
    it('builds only the payout output', () => {
      const tx = assemble(
        options({ template: { height: 500, coinbasevalue: 5_000_000_000 }, payoutScript: P2TR_BIP350 }),
        Buffer.alloc(8),
      );
      expect(tx.outs).toHaveLength(1);
      expect(tx.outs[0].value).toBe(5_000_000_000n);
      expect(Buffer.from(tx.outs[0].script)).toEqual(P2TR_BIP350);
    });
  });

  describe('when given the outputs of the testnet3 1263442 coinbase', () => {
    it('produces the real coinbase\'s bytes from the sequence to the end', () => {
      const { coinb2 } = buildCoinbase(
        options({
          template: { height: 1263442, coinbasevalue: TESTNET3_1263442.payoutValue, default_witness_commitment: COMMITMENT },
          payoutScript: Buffer.from(TESTNET3_1263442.payoutScript, 'hex'),
        }),
      );
      expect(TESTNET3_1263442.coinbase.endsWith(coinb2.toString('hex'))).toBe(true);
    });
  });

  describe('when the height is 1..16 (regtest enforces BIP 34 from height 1)', () => {
    it('opens the scriptSig with OP_N', () => {
      const tx = assemble(options({ template: { height: 5, coinbasevalue: 1 }, tag: Buffer.alloc(0) }), Buffer.alloc(8, 0xee));
      expect(Buffer.from(tx.ins[0].script).toString('hex')).toBe('55' + 'ee'.repeat(8));
    });
  });

  describe('when asked for a version 2 transaction', () => {
    it('writes version 2', () => {
      expect(assemble(options({ txVersion: 2 }), Buffer.alloc(8)).version).toBe(2);
    });
  });

  describe('when the scriptSig would exceed 100 bytes', () => {
    it('throws LodeError(config) naming the sizes', () => {
      expect(() => buildCoinbase(options({ tag: Buffer.alloc(89) }))).toThrow(
        expect.objectContaining({
          kind: 'config',
          message: 'coinbase scriptSig would be 101 bytes (height push 4 + tag 89 + extranonce 8), consensus allows 2..100',
        }),
      );
    });

    it('accepts exactly 100 bytes', () => {
      expect(() => buildCoinbase(options({ tag: Buffer.alloc(88) }))).not.toThrow();
    });
  });

  describe('when the scriptSig would be shorter than 2 bytes', () => {
    it('throws LodeError(config)', () => {
      expect(() =>
        buildCoinbase(options({ template: { height: 5, coinbasevalue: 1 }, tag: Buffer.alloc(0), extranonce1Size: 0, extranonce2Size: 0 })),
      ).toThrow(expect.objectContaining({ kind: 'config' }));
    });
  });
});
