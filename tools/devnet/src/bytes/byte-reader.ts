import { LodeError } from '@lode/stratum-core';

/** bitcoind's MAX_SIZE: the largest CompactSize a stream may carry (serialize.h). */
export const MAX_COMPACT_SIZE = 0x02000000;

/**
 * A cursor over raw bytes that reads Bitcoin's serialization primitives
 * (little-endian integers, CompactSize) and fails like bitcoind's stream
 * does: reading past the end, a non-canonical CompactSize, or one above
 * MAX_SIZE all throw.
 *
 * @throws LodeError('protocol') from every read that cannot be satisfied
 * @see Bitcoin Core src/serialize.h (ReadCompactSize)
 */
export class ByteReader {
  private position = 0;

  constructor(private readonly bytes: Buffer) {}

  /** Bytes consumed so far. */
  get offset(): number {
    return this.position;
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.bytes.length - this.position;
  }

  /** The next `length` bytes (a view, not a copy). */
  readBytes(length: number): Buffer {
    this.need(length);
    const out = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return out;
  }

  /** One byte. */
  readUInt8(): number {
    this.need(1);
    return this.bytes[this.position++];
  }

  /** A little-endian uint32. */
  readUInt32LE(): number {
    this.need(4);
    const v = this.bytes.readUInt32LE(this.position);
    this.position += 4;
    return v;
  }

  /** A little-endian int32 (a block or transaction version). */
  readInt32LE(): number {
    this.need(4);
    const v = this.bytes.readInt32LE(this.position);
    this.position += 4;
    return v;
  }

  /** A little-endian int64 (an output value in satoshis). */
  readInt64LE(): bigint {
    this.need(8);
    const v = this.bytes.readBigInt64LE(this.position);
    this.position += 8;
    return v;
  }

  /** A CompactSize ("varint") as bitcoind reads it with range checking. */
  readCompactSize(): number {
    const first = this.readUInt8();
    let value: number;
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      this.need(2);
      value = this.bytes.readUInt16LE(this.position);
      this.position += 2;
      if (value < 0xfd) throw this.fail('non-canonical ReadCompactSize()');
    } else if (first === 0xfe) {
      value = this.readUInt32LE();
      if (value < 0x10000) throw this.fail('non-canonical ReadCompactSize()');
    } else {
      this.need(8);
      const big = this.bytes.readBigUInt64LE(this.position);
      this.position += 8;
      if (big < 0x100000000n) throw this.fail('non-canonical ReadCompactSize()');
      value = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
    }
    if (value > MAX_COMPACT_SIZE) throw this.fail(`ReadCompactSize(): size ${value} is over ${MAX_COMPACT_SIZE}`);
    return value;
  }

  /** A CompactSize length followed by that many bytes. */
  readVarBytes(): Buffer {
    return this.readBytes(this.readCompactSize());
  }

  private need(length: number): void {
    if (this.position + length > this.bytes.length) {
      throw this.fail(`end of data: ${length} bytes needed at offset ${this.position}, ${this.remaining} left`);
    }
  }

  private fail(message: string): LodeError {
    return new LodeError('protocol', message);
  }
}
