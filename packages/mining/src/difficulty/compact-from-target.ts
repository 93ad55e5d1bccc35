import { LodeError } from '@lode/stratum-core';
import { MAX_TARGET } from './max-target';

/**
 * Encodes a target as a compact number (nBits), exactly as Bitcoin Core's
 * `arith_uint256::GetCompact`: the top three significant bytes become the
 * mantissa (lower bytes are dropped, so the round trip rounds down); when the
 * mantissa would have bit 0x00800000 set it is shifted one byte right and the
 * exponent grows, so a positive number never reads as negative.
 *
 * @param target 0 <= target <= MAX_TARGET
 * @param negative set the sign bit (GetCompact(true)); ignored for a zero mantissa
 * @returns uint32 as a non-negative number (`0xffff << 208n` -> `0x1d00ffff`)
 * @throws LodeError('protocol') if target is negative or above 2^256 - 1
 * @see Bitcoin Core src/arith_uint256.cpp GetCompact
 */
export function compactFromTarget(target: bigint, negative = false): number {
  if (typeof target !== 'bigint' || target < 0n || target > MAX_TARGET) {
    throw new LodeError('protocol', `target must be a bigint in [0, 2^256 - 1], got ${String(target)}`);
  }
  const hex = target === 0n ? '' : target.toString(16);
  let size = Math.ceil(hex.length / 2);
  let mantissa = size <= 3 ? Number(target) * 256 ** (3 - size) : Number(target >> BigInt(8 * (size - 3)));
  if (mantissa & 0x00800000) {
    mantissa = Math.floor(mantissa / 256);
    size += 1;
  }
  const sign = negative && mantissa !== 0 ? 0x00800000 : 0;
  // Arithmetic, not `<<`, so an exponent byte >= 0x80 stays a positive uint32.
  return size * 0x1000000 + sign + mantissa;
}
