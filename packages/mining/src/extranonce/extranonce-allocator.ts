import { randomBytes } from 'node:crypto';
import { LodeError } from '@lode/stratum-core';
import type { ExtranonceAllocatorOptions } from './extranonce-allocator-options';

/**
 * Hands out unique extranonce1 values (raw bytes) to the sessions of one pool
 * instance: `prefix | suffix`, the suffix counting up from a random start and
 * wrapping around, skipping values still in use.
 *
 * Unlike random extranonce1 (public-pool), two live sessions never share a
 * value; with a per-instance prefix, instances sharing one Redis never collide
 * either (facts/field-notes.md §6 "ioredis").
 *
 * Cost: memory is one Set entry per value in use; allocate is O(1) amortised
 * while the space is far from full (it probes past values still in use, about
 * 1 / (1 - inUse/capacity) probes), and fails in O(1) when it is full.
 *
 * @throws LodeError('config') from the constructor if size is not an integer
 *   in 1..8 or the prefix is longer than size, or start is outside [0, capacity)
 * @see facts/field-notes.md §1.2 (ckpool keeps enonce1 for session resume) and §6
 */
export class ExtranonceAllocator {
  /** extranonce1 length in bytes */
  readonly size: number;
  /** the instance prefix (a copy) */
  readonly prefix: Buffer;
  /** how many distinct values exist: 256^(size - prefix length) */
  readonly capacity: bigint;

  private readonly used = new Set<bigint>();
  private cursor: bigint;

  constructor(options: ExtranonceAllocatorOptions) {
    const { size } = options;
    if (!Number.isInteger(size) || size < 1 || size > 8) {
      throw new LodeError('config', `extranonce1 size must be an integer from 1 to 8 bytes, got ${String(size)}`);
    }
    const prefix = Buffer.from(options.prefix ?? Buffer.alloc(0));
    if (prefix.length > size) {
      throw new LodeError('config', `extranonce1 prefix is ${prefix.length} bytes, longer than the size of ${size}`);
    }
    this.size = size;
    this.prefix = prefix;
    this.capacity = 1n << BigInt(8 * (size - prefix.length));
    const start = options.start ?? randomBytes(8).readBigUInt64BE() % this.capacity;
    if (start < 0n || start >= this.capacity) {
      throw new LodeError('config', `extranonce1 start must be in [0, ${this.capacity}), got ${start}`);
    }
    this.cursor = start;
  }

  /** How many values are handed out and not released. */
  get inUse(): number {
    return this.used.size;
  }

  /**
   * The next free value after the last one handed out (wrapping around).
   *
   * @returns `size` bytes: prefix then the big-endian suffix
   * @throws LodeError('protocol') when every value is in use
   *   ("extranonce1 space of 256 values exhausted")
   */
  allocate(): Buffer {
    if (BigInt(this.used.size) >= this.capacity) {
      throw new LodeError('protocol', `extranonce1 space of ${this.capacity} values exhausted`);
    }
    let value = this.cursor;
    while (this.used.has(value)) value = this.next(value);
    this.used.add(value);
    this.cursor = this.next(value);
    return this.encode(value);
  }

  /**
   * Takes a specific value if it is free: a resumed session asks for the
   * extranonce1 it had (mining.subscribe's session id).
   *
   * @param en1 raw bytes, as allocate returned them
   * @returns true when the value is now held by the caller; false when it is
   *   in use, has the wrong length, or does not start with this prefix
   */
  claim(en1: Uint8Array): boolean {
    const value = this.decode(en1);
    if (value === undefined || this.used.has(value)) return false;
    this.used.add(value);
    return true;
  }

  /**
   * Returns a value to the pool. Releasing a value that is not in use, or
   * not of this allocator (length, prefix), does nothing, so a close path can
   * call it unconditionally.
   *
   * @param en1 raw bytes, as allocate or claim took them
   */
  release(en1: Uint8Array): void {
    const value = this.decode(en1);
    if (value !== undefined) this.used.delete(value);
  }

  private next(value: bigint): bigint {
    const following = value + 1n;
    return following === this.capacity ? 0n : following;
  }

  private encode(value: bigint): Buffer {
    const out = Buffer.alloc(this.size);
    this.prefix.copy(out);
    let rest = value;
    for (let i = this.size - 1; i >= this.prefix.length; i--) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return out;
  }

  private decode(en1: Uint8Array): bigint | undefined {
    if (!(en1 instanceof Uint8Array) || en1.length !== this.size) return undefined;
    const bytes = Buffer.from(en1.buffer, en1.byteOffset, en1.length);
    if (!bytes.subarray(0, this.prefix.length).equals(this.prefix)) return undefined;
    let value = 0n;
    for (let i = this.prefix.length; i < this.size; i++) value = (value << 8n) | BigInt(bytes[i]);
    return value;
  }
}
