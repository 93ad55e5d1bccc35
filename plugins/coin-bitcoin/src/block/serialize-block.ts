import { LodeError } from '@lode/plugin-api';
import { compactSize } from '../encoding/compact-size';

/**
 * Serializes a block for bitcoind's `submitblock`:
 * header (80) | CompactSize tx count | coinbase | the template's transactions.
 *
 * @param header the 80-byte header of the share
 * @param coinbase the coinbase as it goes into the block: with the witness
 *   reserved value when the block has a witness commitment (withCoinbaseWitness),
 *   plain otherwise
 * @param txsHex the template's transactions (`transactions[].data`), hex, in order
 * @returns the block, lower-case hex
 * @throws LodeError('share') if the header is not 80 bytes
 * @see facts/bitcoin-blocks.md ("Raw block" of blocks 100000 and 1263442)
 */
export function serializeBlock(header: Buffer, coinbase: Buffer, txsHex: readonly string[]): string {
  if (header.length !== 80) {
    throw new LodeError('share', `block header is ${header.length} bytes, expected 80`);
  }
  return (
    header.toString('hex') +
    compactSize(1 + txsHex.length).toString('hex') +
    coinbase.toString('hex') +
    txsHex.join('').toLowerCase()
  );
}
