/**
 * Bitcoin's CompactSize ("varint") prefix for counts and lengths: 1 byte below
 * 0xfd, else a marker byte (0xfd / 0xfe / 0xff) and a 2 / 4 / 8-byte
 * little-endian integer.
 *
 * @param n a non-negative safe integer
 * @returns 1, 3, 5 or 9 bytes
 * @throws RangeError if n is negative or not a safe integer
 * @see Bitcoin Core src/serialize.h WriteCompactSize
 */
export function compactSize(n: number): Buffer {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`compactSize: ${n} is not a non-negative safe integer`);
  }
  if (n < 0xfd) return Buffer.from([n]);
  if (n <= 0xffff) {
    const b = Buffer.alloc(3);
    b[0] = 0xfd;
    b.writeUInt16LE(n, 1);
    return b;
  }
  if (n <= 0xffffffff) {
    const b = Buffer.alloc(5);
    b[0] = 0xfe;
    b.writeUInt32LE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xff;
  b.writeBigUInt64LE(BigInt(n), 1);
  return b;
}
