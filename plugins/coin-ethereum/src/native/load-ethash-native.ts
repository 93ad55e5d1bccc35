import type * as NativeAddon from '../../native/index';
import { LodeError } from '@lode/plugin-api';

/**
 * The ethash/ETChash addon (Rust, napi-rs; `plugins/coin-ethereum/native`),
 * typed by its generated `native/index.d.ts`. JS names are camelCase.
 *
 * Sizes and seed are separate inputs, so one API serves ethash (seed epoch =
 * epoch), ETChash (sizes from the 60000-block epoch, seed epoch = 2·epoch) and
 * the tiny test sizes (facts/ethash.md §2.8, §4.4, §7.1):
 *
 * - `cacheSize(epoch)`, `datasetSize(epoch)`: bytes (§2.2); epoch integer in [0, 32639].
 * - `seedHash(seedEpoch)`: 32-byte Buffer, keccak256^seedEpoch(0^32) (§2.3); seedEpoch in [0, 65278].
 * - `seedEpochOf(seed)`: the seed epoch of a 32-byte seed hash, walking the chain up to 65278; null when none.
 * - `buildLightCache(cacheBytes, seed, onProgress?)`: Promise<LightCache>, built on
 *   the libuv pool (~0.7 s at epoch 0 here); `onProgress(fraction)` gets 0.01 ...
 *   and finally 1, all before the promise resolves.
 * - `LightCache`: `bytes`; `digest()` keccak256 of the cache (§4.6); `cacheItem(i)`
 *   and `datasetItem(i)` 64-byte items (§2.4, §2.5); `hash(datasetBytes, headerHash,
 *   nonce)` hashimoto_light (§2.6), synchronous, ~2 ms at epoch 0 here; `hashAsync`
 *   the same on the libuv pool.
 * - `buildDataset(cache, datasetBytes, threads, onProgress?)`: Promise<Dataset>
 *   (gigabytes and minutes for a real epoch: miners and tests only).
 * - `Dataset`: `bytes`, `item(i)`, `hash(headerHash, nonce)` hashimoto_full.
 * - `quickFinal(headerHash, nonce, mix)`: keccak256(keccak512(header ‖ nonceLE) ‖ mix),
 *   the cheap pre-check of a claimed mix digest (§2.7).
 * - `scanLight(cache, datasetBytes, headerHash, startNonce, count, target, threads)`
 *   and `scanFull(dataset, headerHash, startNonce, count, target, threads)`:
 *   Promise<{ hits: { nonce, mix, final }[], dropped, hashes }>, hits are finals
 *   <= target (32 bytes, big-endian), ascending nonce, at most 4096.
 * - `implementation()`: `'portable'`.
 *
 * Units: header hash, mix and final are 32-byte Buffers in hash order (as
 * printed, e.g. `eth_getWork[0]`); nonces are bigints in [0, 2^64), hashed as
 * 8 bytes little-endian; a stratum nonce string is big-endian hex.
 * Errors: a bad argument throws synchronously an Error with code 'InvalidArg'
 * whose message names the value (e.g. "headerHash is 31 bytes, it must be 32");
 * running out of memory rejects the build's promise.
 */
export type EthashNative = typeof NativeAddon;

const BUILD_HINT = 'run `npx nx run @lode/coin-ethereum:build-native`';

let binding: EthashNative | undefined;

/**
 * Loads the ethash addon on first use (the rest of the plugin works without
 * it) and returns it; later calls return the same binding.
 *
 * @returns the typed binding (see {@link EthashNative})
 * @throws LodeError('plugin') if the addon is not built or does not load; the
 *   message says to run `npx nx run @lode/coin-ethereum:build-native`
 * @see facts/ethash.md §2 (algorithm), §7.1 (API shape)
 */
export function loadEthashNative(): EthashNative {
  if (binding === undefined) {
    try {
      binding = require('../../native/index.js') as EthashNative;
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new LodeError('plugin', `the native ethash addon did not load: ${reason}; ${BUILD_HINT}`, { cause });
    }
  }
  return binding;
}
