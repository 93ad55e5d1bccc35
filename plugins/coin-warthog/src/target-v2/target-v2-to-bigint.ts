import { LodeError } from '@lode/plugin-api';
import { uint32Hex } from '../encoding/hex';
import { decodeTargetV2 } from './decode-target-v2';

/** Exponents above this give τ · 2^256 < 1: no 256-bit target (difficulty > 2^234). */
const MAX_ZEROS = 234;
const MANTISSA_TOP = 0x200000;

/**
 * A TargetV2 as the 256-bit target Lode compares hash values with: τ · 2^256
 * = bits · 2^(234 - zeros), exact (no rounding).
 *
 * With WarthogCoinPlugin.hashValue (floor(J · 2^256) + 1 for the Janushash
 * number J), `value <= targetV2ToBigint(nbits)` holds exactly when J < τ,
 * which is the node's consensus comparison (`operator<` in view.cpp: zeros
 * against J's exponent, then the mantissa against bits << 10) for every
 * normalised target. So a job's network target from this function makes the
 * engine's block test the node's.
 *
 * @param raw uint32 TargetV2 (header bytes 32..35, big-endian), e.g. 0x0ae7cde7
 * @returns τ · 2^256 in [2^21, 2^256)
 * @throws LodeError('protocol') as decodeTargetV2; for a mantissa below 2^21
 *   (not normalised: the consensus comparison would then differ from J < τ,
 *   and the node never writes one), or an exponent above 234
 * @see facts/warthog.md §1.1 ("Compare with a target"), §3.1
 */
export function targetV2ToBigint(raw: number): bigint {
  const { zeros, bits } = decodeTargetV2(raw);
  if (bits < MANTISSA_TOP) {
    throw new LodeError('protocol', `TargetV2 ${uint32Hex(raw)} has the mantissa ${bits.toString(16)}, below 200000 (not normalised)`);
  }
  if (zeros > MAX_ZEROS) {
    throw new LodeError('protocol', `TargetV2 ${uint32Hex(raw)} has ${zeros} leading zero bits, more than a 256-bit target holds (${MAX_ZEROS})`);
  }
  return BigInt(bits) << BigInt(MAX_ZEROS - zeros);
}
