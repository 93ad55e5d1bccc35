import { LodeError } from '@lode/stratum-core';
import { MAX_TARGET } from './max-target';

/**
 * A target (or hash value) as 64 lower-case hex digits, big-endian: the way
 * explorers, RPC and logs print it (`00000000ffff0000...` for difficulty 1).
 *
 * @param target 0 <= target <= MAX_TARGET
 * @returns 64 hex digits
 * @throws LodeError('protocol') if target is negative or above 2^256 - 1
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export function targetToHex(target: bigint): string {
  if (typeof target !== 'bigint' || target < 0n || target > MAX_TARGET) {
    throw new LodeError('protocol', `target must be a bigint in [0, 2^256 - 1], got ${String(target)}`);
  }
  return target.toString(16).padStart(64, '0');
}
