import type * as NativeAddon from '../../native/index';
import { LodeError } from '@lode/plugin-api';

/**
 * The Janushash addon (Rust, napi-rs; `plugins/coin-warthog/native`), typed by
 * its generated `native/index.d.ts`. JS names are camelCase. Sources:
 * facts/warthog.md §1 (Janushash, CustomFloat), §2 (header), §3.1 (TargetV2), §5 (VerusHash).
 *
 * - `implementation(requested?)`: `'aes-ni'` or `'portable'`, what `'auto'`
 *   (default), `'portable'` or `'aes-ni'` resolves to on this CPU;
 *   `implementations()`: what this CPU runs, fastest first.
 * - `sha256(buf)`, `sha256d(buf)`, `sha256t(buf)`: 32-byte digests (SHA-256
 *   once, twice, three times). Of a header, sha256d is the block hash, printed
 *   in this byte order.
 * - `haraka256(32 bytes)`, `haraka512(64 bytes)`: 32-byte Haraka v2 outputs.
 * - `verusHash(header80, version, implementation?)`: 32 bytes; version 2 is
 *   VerusHash v2.1, any integer >= 3 is v2.2.
 * - `janushash(header80, implementation?)`: `{ blockHash, sha256t, verus,
 *   belowC, exponent, mantissa, value, number }`. Y = frac(sha256t) and
 *   X = frac(verus) are big-endian fractions; VerusHash is v2.1 for header
 *   version 2 and v2.2 for any other; J = X·Y^0.7 = mantissa/2^32·2^exponent
 *   (CustomFloat, exact). `value` is floor(J·2^256) + 1 as 32 bytes big-endian
 *   (all-ff when `belowC`, i.e. Y < 0.005): the header meets a 256-bit share
 *   target T = floor(2^256 / difficulty) iff `!belowC && value <= T`. `number`
 *   is J as a double (1.0 when belowC), for logs only.
 * - `checkTarget(header80, targetV2, implementation?)`: the consensus block
 *   check, Y >= c and J < τ, τ decoded from `targetV2` (the uint32 of header
 *   bytes 32..36 read big-endian); a TargetV2 τ is bits22·2^(234 - zeros10)
 *   in the units of `value`.
 * - `customFloatSteps(header80, implementation?)`: `{ y, x, log2Y, scaledLog,
 *   powY, j }`, each `{ exponent, mantissa, negative }` (§6-G).
 * - `scan({ header, startNonce, count, target, threads, implementation? })`:
 *   Promise of `{ hits: { nonce, value, blockHash }[], hashes, dropped }`.
 *   Walks `count` nonces from `startNonce` (each written big-endian into header
 *   bytes 76..80 of a private copy, so `nonce` reads as the stratum nonce hex)
 *   on `threads` (1..256) native threads; hits have `value <= target` (32
 *   bytes big-endian), ascending nonce, at most 4096 (`dropped` counts the
 *   rest). The VerusHash key of header bytes 0..64 is built once per call.
 *
 * Errors: a bad argument throws synchronously an Error with code 'InvalidArg'
 * whose message names the value (e.g. "header is 79 bytes, a Warthog header
 * is 80"); `'aes-ni'` on a CPU without AES-NI and PCLMULQDQ throws likewise.
 */
export type WarthogNative = typeof NativeAddon;

const BUILD_HINT = 'run `npx nx run @lode/coin-warthog:build-native`';

let binding: WarthogNative | undefined;

/**
 * Loads the Janushash addon on first use (the rest of the plugin works
 * without it) and returns it; later calls return the same binding.
 *
 * @returns the typed binding (see {@link WarthogNative})
 * @throws LodeError('plugin') if the addon is not built or does not load; the
 *   message says to run `npx nx run @lode/coin-warthog:build-native`
 * @see facts/warthog.md §1 (Janushash), §5 (VerusHash)
 */
export function loadWarthogNative(): WarthogNative {
  if (binding === undefined) {
    try {
      binding = require('../../native/index.js') as WarthogNative;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new LodeError('plugin', `the native Janushash addon did not load: ${reason}; ${BUILD_HINT}`, { cause });
    }
  }
  return binding;
}
