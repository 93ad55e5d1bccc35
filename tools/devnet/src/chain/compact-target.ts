import { LodeError } from '@lode/stratum-core';

/**
 * The target a compact `nBits` encodes, with bitcoind's two error flags.
 *
 * target = mantissa * 256^(exponent - 3), mantissa = the low 23 bits;
 * `negative` when the sign bit (0x00800000) is set on a non-zero mantissa,
 * `overflow` when the value does not fit in 256 bits.
 *
 * @see Bitcoin Core src/arith_uint256.cpp (SetCompact); facts/bitcoin-stratum.md "Targets"
 */
export interface CompactTarget {
  target: bigint;
  negative: boolean;
  overflow: boolean;
}

/** Decodes a compact nBits (uint32) into its target and error flags. */
export function decodeCompact(bits: number): CompactTarget {
  const size = bits >>> 24;
  let word = bits & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = BigInt(word) << BigInt(8 * (size - 3));
  }
  const negative = word !== 0 && (bits & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  return { target: overflow ? 0n : target, negative, overflow };
}

/**
 * The 256-bit target of a compact nBits that must be a valid, positive
 * target.
 *
 * @throws LodeError('config') when `bits` is negative, overflows or encodes zero
 */
export function targetFromCompact(bits: number): bigint {
  const { target, negative, overflow } = decodeCompact(bits);
  if (negative || overflow || target === 0n) {
    throw new LodeError('config', `nbits 0x${(bits >>> 0).toString(16).padStart(8, '0')} is not a positive 256-bit target`);
  }
  return target;
}

/**
 * Encodes a target as compact nBits, as bitcoind's GetCompact does (the
 * mantissa is shifted down one byte when its sign bit would be set).
 *
 * @param target in [0, 2^256)
 * @see Bitcoin Core src/arith_uint256.cpp (GetCompact)
 */
export function compactFromTarget(target: bigint): number {
  let size = target === 0n ? 0 : Math.ceil(target.toString(2).length / 8);
  let compact = size <= 3 ? Number(target << BigInt(8 * (3 - size))) : Number(target >> BigInt(8 * (size - 3)));
  if ((compact & 0x00800000) !== 0) {
    compact >>>= 8;
    size++;
  }
  return ((size << 24) | compact) >>> 0;
}

/**
 * bitcoind's `difficulty` figure for an nBits: 0xffff * 256^(29 - 3) over
 * the target, computed in floating point the way GetDifficulty does
 * (difficulty 1 = nBits 1d00ffff).
 *
 * @see Bitcoin Core src/rpc/blockchain.cpp (GetDifficulty)
 */
export function difficultyFromCompact(bits: number): number {
  let shift = (bits >>> 24) & 0xff;
  let difficulty = 0x0000ffff / (bits & 0x00ffffff);
  while (shift < 29) {
    difficulty *= 256;
    shift++;
  }
  while (shift > 29) {
    difficulty /= 256;
    shift--;
  }
  return difficulty;
}

/**
 * The expected number of hashes to find a block at `target`, which is also
 * the chain work a block adds: 2^256 / (target + 1).
 *
 * @see Bitcoin Core src/chain.cpp (GetBlockProof)
 */
export function workFromTarget(target: bigint): bigint {
  return (1n << 256n) / (target + 1n);
}

/** A 256-bit number as 64 hex digits (how RPC prints targets and chain work). */
export function hex256(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}
