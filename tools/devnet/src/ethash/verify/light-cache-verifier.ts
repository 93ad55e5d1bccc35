import { LodeError } from '@lode/stratum-core';
import { epochKey } from '../chain/ethash-epoch';
import type { EthashEpoch } from '../chain/ethash-epoch';
import type { EthashPowResult, EthashVerifier } from './ethash-verifier';

/** A light cache as the native addon of `@lode/coin-ethereum` makes it. */
export interface NativeLightCache {
  hashAsync(datasetBytes: number, headerHash: Buffer, nonce: bigint): Promise<EthashPowResult>;
}

/**
 * The part of `@lode/coin-ethereum`'s native binding (`loadEthashNative()`)
 * the devnet uses; sizes in bytes, seeds 32 bytes.
 */
export interface EthashNativeBinding<C extends NativeLightCache = NativeLightCache> {
  cacheSize(epoch: number): number;
  datasetSize(epoch: number): number;
  seedHash(seedEpoch: number): Buffer;
  buildLightCache(cacheBytes: number, seed: Buffer): Promise<C>;
}

interface CacheEntry<C> {
  epoch: EthashEpoch;
  datasetBytes: number;
  cache: Promise<C>;
}

/**
 * The devnet's verifier: one light cache per epoch pair (sizes from
 * `epoch`, seed from `seedEpoch`, so ethash and ETChash alike), built off
 * the event loop by the native addon, and hashimoto-light on the libuv pool.
 * A cache that failed to build is forgotten, so the next call retries.
 *
 * `C` is the addon's LightCache type, so that {@link cacheFor} hands out the
 * real object (an in-process miner or a test scans with it, no second build).
 *
 * @see facts/ethash.md §2.4-§2.8, §6 (~1.3 s per epoch-0 cache, a few ms per hash)
 */
export class LightCacheVerifier<C extends NativeLightCache = NativeLightCache> implements EthashVerifier {
  private readonly caches = new Map<string, CacheEntry<C>>();
  private readonly building = new Set<Promise<unknown>>();

  /** @param native `loadEthashNative()` of `@lode/coin-ethereum` (or a stand-in with the same shape) */
  constructor(private readonly native: EthashNativeBinding<C>) {}

  seedHash(seedEpoch: number): Buffer {
    return this.native.seedHash(seedEpoch);
  }

  async prepare(epoch: EthashEpoch): Promise<void> {
    await this.entry(epoch).cache;
  }

  retain(epochs: readonly EthashEpoch[]): void {
    const keep = new Set(epochs.map(epochKey));
    for (const key of this.caches.keys()) if (!keep.has(key)) this.caches.delete(key);
  }

  async hash(epoch: EthashEpoch, sealHash: Buffer, nonce: bigint): Promise<EthashPowResult> {
    const entry = this.entry(epoch);
    const cache = await entry.cache;
    return cache.hashAsync(entry.datasetBytes, sealHash, nonce);
  }

  /**
   * The light cache of `epoch` (built first if needed) and its dataset size
   * in bytes, e.g. for `scanLight(cache, datasetBytes, sealHash, ...)`.
   *
   * @throws LodeError('node') when the addon refuses the epoch
   */
  async cacheFor(epoch: EthashEpoch): Promise<{ cache: C; datasetBytes: number }> {
    const entry = this.entry(epoch);
    return { cache: await entry.cache, datasetBytes: entry.datasetBytes };
  }

  /** The epoch pairs whose caches are kept (built or building), as "epoch/seedEpoch". */
  get epochs(): string[] {
    return [...this.caches.keys()];
  }

  async close(): Promise<void> {
    this.caches.clear();
    await Promise.allSettled([...this.building]);
  }

  private entry(epoch: EthashEpoch): CacheEntry<C> {
    const key = epochKey(epoch);
    const known = this.caches.get(key);
    if (known) return known;
    let cache: Promise<C>;
    let datasetBytes: number;
    try {
      datasetBytes = this.native.datasetSize(epoch.epoch);
      cache = this.native.buildLightCache(this.native.cacheSize(epoch.epoch), this.native.seedHash(epoch.seedEpoch));
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new LodeError('node', `light cache for epoch ${epoch.epoch} (seed epoch ${epoch.seedEpoch}) cannot be built: ${message}`, { cause });
    }
    const entry: CacheEntry<C> = { epoch, datasetBytes, cache };
    this.caches.set(key, entry);
    this.building.add(cache);
    cache.then(
      () => this.building.delete(cache),
      () => {
        this.building.delete(cache);
        if (this.caches.get(key) === entry) this.caches.delete(key);
      },
    );
    return entry;
  }
}
