import { LodeError } from '@lode/stratum-core';

const TWO_256 = 1n << 256n;
const MAX_256 = TWO_256 - 1n;

/**
 * A devnet difficulty as a bigint: a positive integer given as a bigint or
 * a safe-integer number.
 *
 * @throws LodeError('config') for anything else (0, negative, fractional, unsafe)
 */
export function parseDifficulty(difficulty: bigint | number): bigint {
  if (typeof difficulty === 'number') {
    if (!Number.isSafeInteger(difficulty) || difficulty < 1) {
      throw new LodeError('config', `difficulty ${difficulty} is not an integer >= 1 (give a bigint for values above 2^53)`);
    }
    return BigInt(difficulty);
  }
  if (difficulty < 1n || difficulty > MAX_256) {
    throw new LodeError('config', `difficulty ${difficulty} is not an integer in [1, 2^256)`);
  }
  return difficulty;
}

/**
 * The block boundary: floor(2^256 / difficulty), a final hash must be <= it.
 * Difficulty 1 gives 2^256, which does not fit 32 bytes; it is clamped to
 * 2^256 - 1 (every hash passes either way; chfast does the same, geth's
 * makeWork would print zeros).
 *
 * @param difficulty >= 1
 * @returns boundary in [1, 2^256)
 * @see facts/ethash.md §2.6 (core-geth `two256 / difficulty`), §4.8
 */
export function ethashBoundary(difficulty: bigint): bigint {
  const boundary = TWO_256 / difficulty;
  return boundary > MAX_256 ? MAX_256 : boundary;
}

/** A 256-bit value as 64 hex digits, zero-padded, no prefix. */
export function hex64(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

/** A JSON-RPC quantity: "0x" and the shortest hex ("0x0" for zero), as geth's hexutil encodes. */
export function quantityHex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
