import { LodeError, type NativeHasher, type ScanHit, type ScanRequest, type ScanResult } from '@lode/plugin-api';
import { loadWarthogNative, type JanusHash, type WarthogNative } from '../native';

/**
 * A VerusHash code path of the native addon: `'aes-ni'` (AES-NI and
 * PCLMULQDQ), `'portable'` (scalar Rust, any CPU), or `'auto'` (the fastest
 * this CPU runs). Every path returns the same bytes.
 */
export type WarthogHasherImplementation = 'auto' | 'aes-ni' | 'portable';

/** Options of createWarthogHasher. */
export interface WarthogHasherOptions {
  /** the code path to use; default `'auto'` (tests and benchmarks force `'portable'`) */
  implementation?: WarthogHasherImplementation;
}

/** A scan's result, plus how many hits past the addon's 4096-hit cap were dropped. */
export interface WarthogScanResult extends ScanResult {
  /** hits not returned because the range held more than 4096 (0 unless the target is absurdly easy) */
  dropped: number;
}

/**
 * The Warthog NativeHasher. Its "hash" is Janushash's comparison value, not a
 * digest: floor(J · 2^256) + 1 as 32 bytes big-endian, all-ff when Y < c.
 */
export interface WarthogHasher extends NativeHasher {
  /** `'aes-ni'` or `'portable'`: the path this hasher's calls run (loads the addon) */
  readonly implementation: string;
  /** everything Janushash computes for one 80-byte header (block hash, sha256t, verus, J, value) */
  janus(header: Buffer): JanusHash;
  scan(request: ScanRequest): Promise<WarthogScanResult>;
}

const HEADER_BYTES = 80;
const TARGET_LIMIT = 1n << 256n;
const ALL_FF = Buffer.alloc(32, 0xff);

/** Runs a native call, turning its argument errors into LodeError('plugin') with the same message. */
function native<T>(call: () => T): T {
  try {
    return call();
  } catch (cause) {
    if (LodeError.is(cause)) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new LodeError('plugin', message, { cause });
  }
}

/**
 * A 256-bit target as the 32 big-endian bytes the addon compares values with.
 *
 * @throws LodeError('plugin') if the target is outside [0, 2^256)
 */
function targetBytes(target: bigint): Buffer {
  if (typeof target !== 'bigint' || target < 0n || target >= TARGET_LIMIT) {
    throw new LodeError('plugin', `target is ${typeof target === 'bigint' ? `0x${target.toString(16)}` : String(target)}, it must be in [0, 2^256)`);
  }
  return Buffer.from(target.toString(16).padStart(64, '0'), 'hex');
}

/**
 * Warthog's proof of work as a NativeHasher: Janushash of 80-byte headers
 * (SHA-256t and VerusHash v2.2, v2.1 for version-2 headers, combined as
 * J = X · Y^0.7 in the node's CustomFloat), in the napi-rs addon `native/`.
 *
 * - `hash(header)`: the 32-byte comparison value floor(J · 2^256) + 1,
 *   big-endian, all-ff when Y < 0.005 (no share, no block). Read it with
 *   WarthogCoinPlugin.hashValue; `value <= 2^256 / D` is a share at
 *   difficulty D, `value <= targetV2ToBigint(nbits)` is a block.
 * - `janus(header)`: everything the addon computes for the header, including
 *   the block id (`blockHash`, sha256d) and J as a double (`number`).
 * - `scan(request)`: walks `count` nonces from `startNonce` (each written
 *   **big-endian** at header bytes 76..80 of a private copy, so a hit's
 *   `nonce` is the stratum nonce hex read as a number) on `threads` native
 *   threads off the event loop; resolves with the values <= `target` (Y < c
 *   never hits), ascending by nonce, at most 4096 (`dropped` counts the rest),
 *   and `hashes` = count. The VerusHash key of header bytes 0..63 is built
 *   once per call.
 *
 * The addon loads on first use, so the hasher can be made without it.
 *
 * @param options `implementation` forces a code path (default `'auto'`)
 * @throws LodeError('plugin') on first use if the addon did not load (build it
 *   with `npx nx run @lode/coin-warthog:build-native`), or `'aes-ni'` was asked
 *   for on a CPU without it; `hash`/`janus` throw LodeError('plugin') for a
 *   header that is not 80 bytes; `scan` rejects with LodeError('plugin') for a
 *   header not 80 bytes, a target outside [0, 2^256), threads outside 1..256,
 *   or a range that is not integers or runs past 2^32
 * @see facts/warthog.md §1.1, §2, §3.1, §5
 */
export function createWarthogHasher(options: WarthogHasherOptions = {}): WarthogHasher {
  const requested = options.implementation ?? 'auto';
  let addon: WarthogNative | undefined;
  let resolved = '';
  // 'auto' passes no name: one string conversion less per hash
  let path: string | undefined;
  const load = (): WarthogNative => {
    if (addon === undefined) {
      const binding = loadWarthogNative();
      resolved = native(() => binding.implementation(requested));
      path = requested === 'auto' ? undefined : resolved;
      addon = binding;
    }
    return addon;
  };
  const checkHeader = (header: Buffer): void => {
    if (!Buffer.isBuffer(header) || header.length !== HEADER_BYTES) {
      throw new LodeError('plugin', `header is ${Buffer.isBuffer(header) ? header.length : typeof header} bytes, a Warthog header is ${HEADER_BYTES}`);
    }
  };
  const janus = (header: Buffer): JanusHash => {
    checkHeader(header);
    const binding = load();
    return binding.janushash(header, path);
  };
  return {
    get implementation(): string {
      load();
      return resolved;
    },
    janus,
    hash(header: Buffer): Buffer {
      return janus(header).value;
    },
    async scan(request: ScanRequest): Promise<WarthogScanResult> {
      const target = targetBytes(request.target);
      const binding = load();
      const { header, startNonce, count, threads } = request;
      const result = await native(() =>
        binding.scan({ header, startNonce, count, target, threads, ...(path === undefined ? {} : { implementation: path }) }),
      );
      const hits: ScanHit[] = [];
      for (const hit of result.hits) {
        if (!hit.value.equals(ALL_FF)) hits.push({ nonce: hit.nonce, hash: hit.value });
      }
      return { hits, hashes: result.hashes, dropped: result.dropped };
    },
  };
}
