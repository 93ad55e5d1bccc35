import { ByteReader } from '../bytes/byte-reader';
import { displayHex } from '../bytes/hex';
import { sha256d } from '../bytes/sha256d';
import { HEADER_SIZE, parseHeader } from './block-header';
import type { BlockHeader } from './block-header';
import { hashTransaction, readTransaction } from './transaction-codec';
import type { HashedTransaction } from './transaction';

/**
 * A decoded block.
 *
 * - `hash`: sha256d(header), internal bytes; `hashHex` the display form
 * - `transactions`: in block order, each with txid / wtxid / sizes
 * - `size`: serialized bytes with witnesses; `strippedSize` without;
 *   `weight` = strippedSize * 3 + size (BIP 141)
 * - `trailingBytes`: bytes after the last transaction, which bitcoind's
 *   `submitblock` decoder ignores
 */
export interface DecodedBlock {
  header: BlockHeader;
  headerBytes: Buffer;
  hash: Buffer;
  hashHex: string;
  transactions: HashedTransaction[];
  size: number;
  strippedSize: number;
  weight: number;
  trailingBytes: number;
}

/**
 * Decodes a full block serialization: 80-byte header, CompactSize
 * transaction count, transactions with or without the segwit marker/flag.
 *
 * @param bytes raw block bytes (not hex)
 * @throws LodeError('protocol') when the bytes are not a block (bitcoind's
 *   `submitblock` answers that with error -22 "Block decode failed")
 * @see BIP 144; Bitcoin Core src/primitives/block.h, src/core_read.cpp (DecodeHexBlk)
 */
export function decodeBlock(bytes: Buffer): DecodedBlock {
  const reader = new ByteReader(bytes);
  const headerBytes = Buffer.from(reader.readBytes(HEADER_SIZE));
  const header = parseHeader(headerBytes);
  const count = reader.readCompactSize();
  const transactions: HashedTransaction[] = [];
  for (let i = 0; i < count; i++) transactions.push(hashTransaction(readTransaction(reader)));
  const countSize = reader.offset - HEADER_SIZE - transactions.reduce((n, t) => n + t.totalSize, 0);
  const size = HEADER_SIZE + countSize + transactions.reduce((n, t) => n + t.totalSize, 0);
  const strippedSize = HEADER_SIZE + countSize + transactions.reduce((n, t) => n + t.baseSize, 0);
  const hash = sha256d(headerBytes);
  return {
    header,
    headerBytes,
    hash,
    hashHex: displayHex(hash),
    transactions,
    size,
    strippedSize,
    weight: strippedSize * 3 + size,
    trailingBytes: reader.remaining,
  };
}
