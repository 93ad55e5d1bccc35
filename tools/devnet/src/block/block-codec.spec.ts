import { LodeError } from '@lode/stratum-core';
import { MAINNET_100000, TESTNET_1263442 } from '../testing/real-blocks';
import { decodeBlock } from './block-codec';
import { merkleRoot } from './merkle-root';
import { serializeTransaction } from './transaction-codec';
import { witnessCommitmentIndex, witnessCommitmentScript, witnessMerkleRoot } from './witness-commitment';

const rev = (hex: string): Buffer => Buffer.from(hex, 'hex').reverse();
const show = (b: Buffer): string => Buffer.from(b).reverse().toString('hex');

describe('decodeBlock', () => {
  describe('when given mainnet block 100000 (facts/bitcoin-blocks.md)', () => {
    const block = decodeBlock(Buffer.from(MAINNET_100000.hex, 'hex'));

    it('reads the header fields and hash', () => {
      expect(block.hashHex).toBe(MAINNET_100000.hash);
      expect(block.headerBytes.toString('hex')).toBe(MAINNET_100000.header);
      expect(show(block.header.prevHash)).toBe(MAINNET_100000.prevHash);
      expect(show(block.header.merkleRoot)).toBe(MAINNET_100000.merkleRoot);
      expect(block.header).toMatchObject({
        version: MAINNET_100000.version,
        time: MAINNET_100000.time,
        bits: MAINNET_100000.bits,
        nonce: MAINNET_100000.nonce,
      });
    });

    it('finds the four txids in order, with wtxid equal to txid', () => {
      expect(block.transactions.map((t) => show(t.txid))).toEqual(MAINNET_100000.txids);
      for (const t of block.transactions) expect(t.wtxid.equals(t.txid)).toBe(true);
    });

    it('computes the merkle root of the header from the txids', () => {
      expect(show(merkleRoot(MAINNET_100000.txids.map(rev)).root)).toBe(MAINNET_100000.merkleRoot);
    });

    it('measures 957 bytes, weight 4 * 957, nothing trailing', () => {
      expect(block.size).toBe(MAINNET_100000.size);
      expect(block.strippedSize).toBe(MAINNET_100000.size);
      expect(block.weight).toBe(MAINNET_100000.size * 4);
      expect(block.trailingBytes).toBe(0);
    });

    it('serializes every transaction back to the same bytes', () => {
      const again = Buffer.concat([block.headerBytes, Buffer.from([4]), ...block.transactions.map((t) => serializeTransaction(t.tx, true))]);
      expect(again.toString('hex')).toBe(MAINNET_100000.hex);
    });
  });

  describe('when given segwit testnet3 block 1263442 (facts/bitcoin-blocks.md)', () => {
    const block = decodeBlock(Buffer.from(TESTNET_1263442.hex, 'hex'));

    it('reads the hash, txids and the non-coinbase wtxid', () => {
      expect(block.hashHex).toBe(TESTNET_1263442.hash);
      expect(block.transactions.map((t) => show(t.txid))).toEqual(TESTNET_1263442.txids);
      expect(show(block.transactions[1].wtxid)).toBe(TESTNET_1263442.wtxids[1]);
      expect(block.size).toBe(TESTNET_1263442.size);
    });

    it('separates the coinbase witness from the txid serialization', () => {
      const coinbase = block.transactions[0];
      expect(serializeTransaction(coinbase.tx, false).toString('hex')).toBe(TESTNET_1263442.coinbaseWithoutWitness);
      expect(coinbase.tx.inputs[0].witness.map((w) => w.toString('hex'))).toEqual([TESTNET_1263442.reservedValue]);
    });

    it('finds the witness root and the commitment in vout[1]', () => {
      const root = witnessMerkleRoot(block.transactions.map((t) => t.wtxid));
      expect(show(root)).toBe(TESTNET_1263442.witnessRoot);
      expect(witnessCommitmentIndex(block.transactions[0].tx)).toBe(1);
      expect(witnessCommitmentScript(root, Buffer.from(TESTNET_1263442.reservedValue, 'hex')).toString('hex')).toBe(
        TESTNET_1263442.commitmentScript,
      );
      expect(block.transactions[0].tx.outputs[1].scriptPubKey.toString('hex')).toBe(TESTNET_1263442.commitmentScript);
    });

    it('counts witness bytes at a quarter in the weight', () => {
      expect(block.weight).toBe(block.strippedSize * 3 + block.size);
      expect(block.strippedSize).toBeLessThan(block.size);
    });
  });

  describe('when the bytes are not a block', () => {
    it('throws a protocol LodeError for a truncated block', () => {
      const hex = MAINNET_100000.hex.slice(0, -10);
      expect(() => decodeBlock(Buffer.from(hex, 'hex'))).toThrow(LodeError);
    });

    it('throws for a header alone shorter than 80 bytes', () => {
      expect(() => decodeBlock(Buffer.alloc(79))).toThrow(/80 bytes|end of data/);
    });

    it('throws for a non-canonical CompactSize transaction count', () => {
      const hex = `${MAINNET_100000.header}fd0400${MAINNET_100000.hex.slice(162)}`;
      expect(() => decodeBlock(Buffer.from(hex, 'hex'))).toThrow(/non-canonical/);
    });

    it('throws for a segwit flag whose witness stacks are all empty', () => {
      // coinbase of 1263442 with its one witness item replaced by an empty stack
      const superfluous = TESTNET_1263442.coinbaseWithWitness.replace(`0120${'00'.repeat(32)}00000000`, '0000000000');
      expect(superfluous).not.toBe(TESTNET_1263442.coinbaseWithWitness);
      const hex = `${TESTNET_1263442.header}01${superfluous}`;
      expect(() => decodeBlock(Buffer.from(hex, 'hex'))).toThrow(/Superfluous witness record/);
    });
  });

  describe('when bytes follow the last transaction', () => {
    it('decodes the block and counts them, as bitcoind ignores them', () => {
      const block = decodeBlock(Buffer.from(`${MAINNET_100000.hex}abcd`, 'hex'));
      expect(block.hashHex).toBe(MAINNET_100000.hash);
      expect(block.trailingBytes).toBe(2);
    });
  });
});
