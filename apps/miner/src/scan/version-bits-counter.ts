import { LodeError } from '@lode/stratum-core';

/**
 * The miner's BIP 310 version bits: a counter over the subsets of a version
 * mask, i.e. every uint32 `v` with `v & ~mask == 0`, enumerated by counting
 * through the mask's bits (`next = ((cur | ~mask) + 1) & mask`: the bits
 * outside the mask are held at 1 so that the carry jumps over them).
 *
 * It starts at the FIRST NON-ZERO value (the mask's lowest bit), so every
 * header it gives carries rolled bits, and gives 0 last; then it starts over.
 * A mask with n bits set gives 2^n values per cycle (mask 1fffe000: 65536).
 * Each value is a new block version, so a fresh 2^32 nonce range on the same
 * coinbase.
 *
 * @example new VersionBitsCounter(0x00c00000): 00400000, 00800000, 00c00000, 00000000, 00400000, …
 * @see specs/002_b8c80480aecfabab.txt (BIP 310) "version-rolling"; facts/bitcoin-stratum.md rule 7
 */
export class VersionBitsCounter {
  /** values in one cycle: 2^(bits set in the mask), 1 for mask 0 */
  readonly cycleLength: number;
  private current = 0;

  /**
   * @param mask the negotiated version mask, uint32 (from `mining.configure`
   *   or `mining.set_version_mask`)
   * @throws LodeError('protocol') when the mask is not a uint32
   */
  constructor(readonly mask: number) {
    if (!Number.isInteger(mask) || mask < 0 || mask > 0xffffffff) {
      throw new LodeError('protocol', `version mask must be a uint32, got ${String(mask)}`);
    }
    this.cycleLength = 2 ** popcount(mask);
  }

  /** The next version bits value, a uint32 inside the mask. */
  next(): number {
    // (cur | ~mask) >>> 0 is at most 0xffffffff; + 1 reaches 2^32 at the end of a cycle, which `& mask` turns into 0.
    this.current = ((((this.current | ~this.mask) >>> 0) + 1) & this.mask) >>> 0;
    return this.current;
  }
}

function popcount(n: number): number {
  let count = 0;
  for (let v = n >>> 0; v !== 0; v = (v & (v - 1)) >>> 0) count++;
  return count;
}
