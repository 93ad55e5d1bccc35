import { LodeError } from '@lode/plugin-api';

/**
 * A boundary as `eth_getWork[2]` prints it: "0x" + 64 lower-case hex digits
 * (32 bytes, big-endian, zero-padded).
 *
 * @param boundary in [0, 2^256 - 1]
 * @throws LodeError('protocol') for a value outside [0, 2^256 - 1]
 * @see facts/ethash.md §1.1
 */
export function boundaryToHex(boundary: bigint): string {
  if (typeof boundary !== 'bigint' || boundary < 0n || boundary >= 2n ** 256n) {
    throw new LodeError('protocol', `an ethash boundary must be in [0, 2^256 - 1], got ${String(boundary)}`);
  }
  return `0x${boundary.toString(16).padStart(64, '0')}`;
}
