import { LodeError } from '@lode/stratum-core';

/**
 * Throws LodeError('protocol') unless `diff1Target` is > 0. Internal.
 * No upper bound: ethash's diff1 is 2^256, one above MAX_TARGET.
 */
export function assertDiff1Target(diff1Target: bigint): void {
  if (typeof diff1Target !== 'bigint' || diff1Target <= 0n) {
    throw new LodeError('protocol', `diff1Target must be a bigint > 0, got ${String(diff1Target)}`);
  }
}
