import { LodeError } from '@lode/stratum-core';
import { decodeCompact } from './decode-compact';

/**
 * The network target of a block header's nBits: mantissa * 256^(exponent - 3),
 * as Bitcoin Core's `SetCompact` (`0x1d00ffff` -> `0xffff << 208`, the
 * difficulty-1 target).
 *
 * A zero mantissa gives 0n, as in Core (no hash meets it). A negative or
 * overflowing encoding cannot be a target, so it throws instead of returning
 * a value Core would flag; use `decodeCompact` to read the flags.
 *
 * @param nbits uint32 as a number
 * @returns target in [0, 2^256 - 1]
 * @throws LodeError('protocol') if nbits is not a uint32, has the sign bit set
 *   on a mantissa that is non-zero after Core's shift (0x04923456; not
 *   0x01803456), or encodes a value above 2^256 - 1
 * @see Bitcoin Core src/arith_uint256.cpp SetCompact, src/pow.cpp CheckProofOfWork;
 *   facts/bitcoin-stratum.md "Targets"
 */
export function targetFromCompact(nbits: number): bigint {
  const decoded = decodeCompact(nbits);
  const hex = (nbits >>> 0).toString(16).padStart(8, '0');
  if (decoded.negative) {
    throw new LodeError('protocol', `nbits ${hex} has the sign bit 0x00800000 set: a target cannot be negative`);
  }
  if (decoded.overflow) {
    throw new LodeError('protocol', `nbits ${hex} encodes a value above 2^256 - 1`);
  }
  return decoded.target;
}
