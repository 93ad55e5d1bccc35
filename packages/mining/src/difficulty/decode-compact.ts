import { LodeError } from '@lode/stratum-core';
import type { DecodedCompact } from './decoded-compact';

/**
 * Decodes a compact number (a block header's nBits) the way Bitcoin Core's
 * `arith_uint256::SetCompact` does: exponent = top byte, mantissa = low 23
 * bits, bit 0x00800000 = sign; value = mantissa * 256^(exponent - 3), where an
 * exponent below 3 shifts the mantissa right (dropping bytes). The sign and
 * overflow flags are those of SetCompact (both false for a zero mantissa).
 *
 * @param nbits uint32 as a number (`0x1d00ffff`; in `mining.notify` it is 8 hex
 *   digits big-endian, parse with `parseInt(hex, 16)`)
 * @returns the magnitude and the flags
 * @throws LodeError('protocol') if nbits is not an integer in [0, 0xffffffff]
 * @see Bitcoin Core src/arith_uint256.cpp SetCompact; facts/bitcoin-stratum.md "Targets"
 */
export function decodeCompact(nbits: number): DecodedCompact {
  if (!Number.isInteger(nbits) || nbits < 0 || nbits > 0xffffffff) {
    throw new LodeError('protocol', `nbits must be an integer in [0, 0xffffffff], got ${String(nbits)}`);
  }
  const size = Math.floor(nbits / 0x1000000);
  // Core shifts the word in place for exponents below 3 and tests the flags on
  // the shifted word, so 0x01803456 (word shifted to 0) is not negative but
  // 0x01fedcba (0x7e) is.
  const word = size <= 3 ? (nbits & 0x007fffff) >>> (8 * (3 - size)) : nbits & 0x007fffff;
  return {
    target: size <= 3 ? BigInt(word) : BigInt(word) << BigInt(8 * (size - 3)),
    negative: word !== 0 && (nbits & 0x00800000) !== 0,
    overflow: word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32)),
  };
}
