/**
 * Builds Bitcoin serializations: little-endian integers, CompactSize and
 * raw bytes, joined once by `toBuffer()`.
 *
 * @see Bitcoin Core src/serialize.h (WriteCompactSize)
 */
export class ByteWriter {
  private readonly parts: Buffer[] = [];

  /** Raw bytes as given. */
  writeBytes(bytes: Uint8Array): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** One byte. */
  writeUInt8(value: number): this {
    this.parts.push(Buffer.from([value & 0xff]));
    return this;
  }

  /** A little-endian uint32. */
  writeUInt32LE(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.parts.push(b);
    return this;
  }

  /** A little-endian int32. */
  writeInt32LE(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value | 0);
    this.parts.push(b);
    return this;
  }

  /** A little-endian int64 (satoshis). */
  writeInt64LE(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(value);
    this.parts.push(b);
    return this;
  }

  /** A CompactSize: 1, 3, 5 or 9 bytes. */
  writeCompactSize(value: number): this {
    if (value < 0xfd) return this.writeUInt8(value);
    if (value <= 0xffff) {
      const b = Buffer.alloc(3);
      b[0] = 0xfd;
      b.writeUInt16LE(value, 1);
      this.parts.push(b);
      return this;
    }
    if (value <= 0xffffffff) {
      this.writeUInt8(0xfe);
      return this.writeUInt32LE(value);
    }
    const b = Buffer.alloc(9);
    b[0] = 0xff;
    b.writeBigUInt64LE(BigInt(value), 1);
    this.parts.push(b);
    return this;
  }

  /** A CompactSize length followed by the bytes. */
  writeVarBytes(bytes: Uint8Array): this {
    this.writeCompactSize(bytes.length);
    return this.writeBytes(bytes);
  }

  /** Everything written, joined. */
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
