import type * as NativeAddon from '../native/index';
import { LodeError, type NativeHasher, type ScanRequest, type ScanResult } from '@lode/plugin-api';

/**
 * A SHA-256 code path of the native addon: `'sha-ni'` (x86-64 SHA extensions),
 * `'portable'` (scalar Rust, any CPU), or `'auto'` (the fastest this CPU runs).
 * Every path returns the same bytes.
 */
export type BitcoinHasherImplementation = 'auto' | 'sha-ni' | 'portable';

/** Options of createBitcoinHasher. */
export interface BitcoinHasherOptions {
  /** the code path to use; default `'auto'` (tests and benchmarks force `'portable'`) */
  implementation?: BitcoinHasherImplementation;
}

/** A scan's result, plus how many hits past the addon's 4096-hit cap were dropped. */
export interface BitcoinScanResult extends ScanResult {
  /** hits not returned because the range held more than 4096 (0 unless the target is absurdly easy) */
  dropped: number;
}

/** The Bitcoin NativeHasher: SHA-256d of 80-byte headers, on the chosen code path. */
export interface BitcoinHasher extends NativeHasher {
  /** `'sha-ni'` or `'portable'`: the path this hasher's calls run */
  readonly implementation: 'sha-ni' | 'portable';
  scan(request: ScanRequest): Promise<BitcoinScanResult>;
  /**
   * A share's merkle root in one native call: r = sha256d(coinbase), then for
   * each 32-byte branch b in order r = sha256d(r | b).
   *
   * @param coinbase coinb1 | extranonce1 | extranonce2 | coinb2 (without witness), raw bytes
   * @param branches the job's merkle branch, raw bytes, bottom level first, the
   *   32-byte hashes concatenated (empty: the root is the coinbase txid)
   * @returns 32 bytes in hash order, as the header stores them
   * @throws LodeError('plugin') when `branches` is not a multiple of 32 bytes
   * @see facts/bitcoin-stratum.md "Byte orders" rule 5
   */
  merkleRoot(coinbase: Buffer, branches: Buffer): Buffer;
  /**
   * As merkleRoot, but writes the 32 bytes into `out` at `offset` (an 80-byte
   * header: 36) instead of allocating: the per-share path.
   *
   * @throws LodeError('plugin') when `branches` is not a multiple of 32 bytes
   *   or `out` is shorter than `offset + 32` (`out` is then left unchanged)
   */
  merkleRootInto(coinbase: Buffer, branches: Buffer, out: Buffer, offset: number): void;
}

/** What `native/index.js` exports, typed by the generated native/index.d.ts. */
type NativeBinding = typeof NativeAddon;

const HEADER_BYTES = 80;
const TARGET_LIMIT = 1n << 256n;
const BUILD_HINT = 'run `npx nx run @lode/coin-bitcoin:build-native`';

let binding: NativeBinding | undefined;

function loadBinding(): NativeBinding {
  if (binding === undefined) {
    try {
      // Loaded on demand so that the rest of the plugin works without the addon.
      binding = require('../native/index.js') as NativeBinding;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new LodeError('plugin', `the native SHA-256d addon did not load: ${reason}; ${BUILD_HINT}`, { cause });
    }
  }
  return binding;
}

/** Runs a native call, turning its argument errors into LodeError('plugin') with the same message. */
function native<T>(call: () => T): T {
  try {
    return call();
  } catch (cause) {
    throw pluginError(cause);
  }
}

/** A native call's error as LodeError('plugin') with the same message (a LodeError as is). */
function pluginError(cause: unknown): LodeError {
  if (LodeError.is(cause)) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LodeError('plugin', message, { cause });
}

/**
 * A 256-bit target as the 32 bytes the addon compares hashes with: little-endian,
 * the hash's own byte order (facts/bitcoin-stratum.md, "Byte orders" rule 1).
 *
 * @throws LodeError('plugin') if the target is outside [0, 2^256)
 */
function targetBytes(target: bigint): Buffer {
  if (target < 0n || target >= TARGET_LIMIT) {
    throw new LodeError('plugin', `target is 0x${target.toString(16)}, it must be in [0, 2^256)`);
  }
  const bytes = Buffer.alloc(32);
  let rest = target;
  for (let i = 0; i < 32 && rest > 0n; i++) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/**
 * The Bitcoin proof of work as a NativeHasher: SHA-256d (SHA-256 of SHA-256)
 * of 80-byte block headers, in the napi-rs addon `native/` (Rust; SHA-NI on
 * x86-64 CPUs that have it, portable code elsewhere).
 *
 * - `hash(header)`: 80-byte header -> 32-byte hash in hash order (the digest as
 *   is; read it as a little-endian number; explorers print it reversed), a
 *   new Buffer from node's pool (the addon writes into it: a Buffer made by
 *   the addon costs more than the hash).
 * - `merkleRoot(coinbase, branches)` / `merkleRootInto(...)`: a share's merkle
 *   root (facts/bitcoin-stratum.md rule 5) in one native call.
 * - `scan(request)`: walks `count` nonces from `startNonce` (each written
 *   little-endian at header bytes 76..80 of a private copy; the caller's buffer
 *   may be reused at once) on `threads` native threads off the event loop, and
 *   resolves with the hashes <= `target` (a bigint in [0, 2^256)), ascending by
 *   nonce, at most 4096 of them (`dropped` counts the rest), and `hashes` = count.
 *   The scan reuses the header's midstate and stops most hashes early, so it is
 *   the miner's hot loop; a share is checked with `hash`.
 *
 * Byte orders and test vectors: facts/bitcoin-stratum.md.
 *
 * @param options `implementation` forces a code path (default `'auto'`)
 * @throws LodeError('plugin') if the addon did not load (build it with
 *   `npx nx run @lode/coin-bitcoin:build-native`), or `'sha-ni'` was asked for
 *   on a CPU without the SHA extensions. `hash` throws LodeError('plugin') for a
 *   header that is not 80 bytes; `scan` rejects with LodeError('plugin') for a
 *   header not 80 bytes, a target outside [0, 2^256), threads outside 1..256,
 *   or a range that is not integers or runs past 2^32.
 */
export function createBitcoinHasher(options: BitcoinHasherOptions = {}): BitcoinHasher {
  const addon = loadBinding();
  const requested = options.implementation ?? 'auto';
  const implementation = native(() => addon.implementation(requested)) as 'sha-ni' | 'portable';
  // 'auto' passes no name: one string conversion less on the per-share path.
  const path = requested === 'auto' ? undefined : implementation;
  const merkleRootInto = (coinbase: Buffer, branches: Buffer, out: Buffer, offset: number): void => {
    // no closure per call: this runs once per share
    try {
      addon.merkleRootInto(coinbase, branches, out, offset, path);
    } catch (cause) {
      throw pluginError(cause);
    }
  };
  return {
    implementation,
    hash(header: Buffer): Buffer {
      if (header.length !== HEADER_BYTES) {
        throw new LodeError('plugin', `header is ${header.length} bytes, a Bitcoin header is ${HEADER_BYTES}`);
      }
      // the length is checked and the path resolved: the addon cannot refuse this call
      const hash = Buffer.allocUnsafe(32);
      addon.sha256dInto(header, hash, 0, path);
      return hash;
    },
    merkleRoot(coinbase: Buffer, branches: Buffer): Buffer {
      const root = Buffer.allocUnsafe(32);
      merkleRootInto(coinbase, branches, root, 0);
      return root;
    },
    merkleRootInto,
    async scan(request: ScanRequest): Promise<BitcoinScanResult> {
      const target = targetBytes(request.target);
      const { header, startNonce, count, threads } = request;
      const result = await native(() => addon.scan(header, startNonce, count, target, threads, path));
      return { hits: result.hits, hashes: result.hashes, dropped: result.dropped };
    },
  };
}

/**
 * The code paths this CPU runs, fastest first, e.g. `['sha-ni', 'portable']`
 * (what `createBitcoinHasher({ implementation })` accepts besides `'auto'`).
 *
 * @throws LodeError('plugin') if the addon did not load
 */
export function bitcoinHasherImplementations(): ('sha-ni' | 'portable')[] {
  return loadBinding().implementations() as ('sha-ni' | 'portable')[];
}
