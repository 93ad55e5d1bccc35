import { LodeError } from '@lode/plugin-api';
import { isUint32, uint32Hex } from '../encoding/hex';

/** The two fields of a TargetV2. */
export interface DecodedTargetV2 {
  /** the 10-bit exponent: τ's leading zero bits before the mantissa, 0..1023 */
  zeros: number;
  /** the 22-bit mantissa, in [2^21, 2^22) for every target the node writes */
  bits: number;
}

/**
 * Splits a TargetV2 (header bytes 32..35 read big-endian, the stratum
 * `nbits`) into its 10-bit exponent and 22-bit mantissa:
 * τ = bits · 2^-(zeros + 22).
 *
 * @param raw uint32, e.g. 0x0ae7cde7 (block 1949766: zeros 43, bits 0x27cde7)
 * @returns `{ zeros: raw >>> 22, bits: raw & 0x3fffff }`
 * @throws LodeError('protocol') for a value that is not a uint32, or a zero
 *   mantissa (a target of 0 that no header can meet)
 * @see facts/warthog.md §3.1
 */
export function decodeTargetV2(raw: number): DecodedTargetV2 {
  if (!isUint32(raw)) {
    throw new LodeError('protocol', `a TargetV2 is a uint32, got ${String(raw)}`);
  }
  const bits = raw & 0x3fffff;
  if (bits === 0) {
    throw new LodeError('protocol', `TargetV2 ${uint32Hex(raw)} has a zero mantissa`);
  }
  return { zeros: raw >>> 22, bits };
}
