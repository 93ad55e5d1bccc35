import { assertHash32 } from './assert-hash32';

/** 2^32, to join two uint32 words into one number. */
const WORD = 4294967296;
/** 256^i for i in 0..24 (a table: `2 ** x` with a variable x costs ~100 ns in V8) */
const BYTE_SCALE: readonly number[] = Array.from({ length: 25 }, (_, i) => 2 ** (8 * i));

/**
 * A 32-byte hash as the number Bitcoin compares with the target (the bytes
 * in hash order read little-endian, as hashToBigInt reads them), as a double:
 * its top 64 bits from the most significant non-zero byte down, joined with
 * one rounding and scaled by a power of two. Relative error below 2^-52
 * (two units in the last place); 0 only for the all-zero hash. No bigint and
 * no allocation: the per-share path (difficulty for display and statistics;
 * hashAtMostTarget for the exact verdict).
 *
 * @param hash 32 bytes in hash (internal) order
 * @returns 0 <= value < 2^256
 * @throws LodeError('protocol') if hash is not 32 bytes ("hash is 31 bytes, expected 32 bytes")
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export function hashToNumber(hash: Uint8Array): number {
  assertHash32(hash);
  let top = 31;
  while (top >= 0 && hash[top] === 0) top--;
  if (top < 0) return 0;
  // the 8 bytes base..base+7 hold the top non-zero byte (bytes above it are 0)
  const base = top < 7 ? 0 : top - 7;
  return (word(hash, base + 4) * WORD + word(hash, base)) * (BYTE_SCALE[base] as number);
}

/** The uint32 little-endian at `at` (0 <= at <= length - 4, checked by the caller). */
function word(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at + 3] as number) * 0x1000000 +
      (((bytes[at + 2] as number) << 16) | ((bytes[at + 1] as number) << 8) | (bytes[at] as number)))
  );
}
