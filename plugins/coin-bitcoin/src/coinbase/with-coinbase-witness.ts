import { LodeError } from '@lode/plugin-api';

/**
 * Turns a coinbase serialized without witness into its BIP 144 witness form:
 * version | marker 00 | flag 01 | inputs and outputs | witness of input 0 =
 * one item of 32 zero bytes (the BIP 141 witness reserved value) | locktime.
 *
 * A block whose coinbase has a witness commitment output must carry this
 * form, or bitcoind refuses it ("bad-witness-nonce-size"); the txid (and so the
 * merkle root) stays the sha256d of the form without witness.
 *
 * @param coinbase coinb1 | extranonce1 | extranonce2 | coinb2, raw bytes
 * @returns the coinbase as it goes into the block
 * @throws LodeError('share') if the input is too short to be a transaction
 * @see facts/bitcoin-blocks.md, testnet3 block 1263442 ("Coinbase transaction as serialized in the block")
 */
export function withCoinbaseWitness(coinbase: Buffer): Buffer {
  if (coinbase.length < 10) {
    throw new LodeError('share', `coinbase is ${coinbase.length} bytes, too short to be a transaction`);
  }
  const witness = Buffer.concat([Buffer.from([0x01, 0x20]), Buffer.alloc(32)]);
  return Buffer.concat([
    coinbase.subarray(0, 4),
    Buffer.from([0x00, 0x01]),
    coinbase.subarray(4, coinbase.length - 4),
    witness,
    coinbase.subarray(coinbase.length - 4),
  ]);
}
