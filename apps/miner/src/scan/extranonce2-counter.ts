import { LodeError } from '@lode/stratum-core';

/** Largest extranonce2 the counter accepts, in bytes (a coinbase scriptSig holds 100 bytes in all). */
export const MAX_EXTRANONCE2_SIZE = 32;

/**
 * The miner's extranonce2: an unsigned counter of `size` bytes, written
 * big-endian, from 0 (or `start`) upwards, wrapping to 0 after the largest
 * value (`ff…ff`). Each value gives a new coinbase, so a new merkle root and a
 * fresh 2^32 nonce range (facts/bitcoin-stratum.md, byte order rule 4: the
 * bytes go into the coinbase raw, as they are sent in `mining.submit`).
 *
 * @example new Extranonce2Counter(4).next() -> <00 00 00 00>, then <00 00 00 01>
 */
export class Extranonce2Counter {
  private value: bigint;
  private readonly modulus: bigint;
  private wraps = 0;

  /**
   * @param size extranonce2 size in bytes, as the pool sent it in its subscribe result (0..32)
   * @param start first value, 0 <= start < 2^(8 * size); default 0
   * @throws LodeError('protocol') for a size outside 0..32 or a start outside the range
   */
  constructor(
    readonly size: number,
    start = 0n,
  ) {
    if (!Number.isInteger(size) || size < 0 || size > MAX_EXTRANONCE2_SIZE) {
      throw new LodeError('protocol', `extranonce2 size must be an integer of 0..${MAX_EXTRANONCE2_SIZE} bytes, got ${size}`);
    }
    this.modulus = 1n << BigInt(8 * size);
    if (start < 0n || start >= this.modulus) {
      throw new LodeError('protocol', `extranonce2 start ${start} does not fit ${size} bytes`);
    }
    this.value = start;
  }

  /** How many times the counter has gone past `ff…ff` back to 0. */
  get wrapCount(): number {
    return this.wraps;
  }

  /** Returns the current value as `size` big-endian bytes and moves to the next one. */
  next(): Buffer {
    const out = Buffer.alloc(this.size);
    let v = this.value;
    for (let i = this.size - 1; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    this.value += 1n;
    if (this.value === this.modulus) {
      this.value = 0n;
      this.wraps++;
    }
    return out;
  }
}
