import { availableParallelism } from 'node:os';
import {
  LodeError,
  type EpochHasher,
  type EpochScanRequest,
  type EpochScanResult,
  type LodeLogger,
} from '@lode/plugin-api';
import { loadEthashNative, type Dataset, type EthashNative, type LightCache } from '../native';
import type { EthashAlgo } from './ethash-algo';
import { seedEpochOf } from './seed-epoch-of';

/** Cache and dataset sizes per sizing epoch, bytes (facts/ethash.md §2.2). */
export interface EthashSizes {
  cacheSize(epoch: number): number;
  datasetSize(epoch: number): number;
}

/** Options of EthashContexts. */
export interface EthashContextsOptions {
  /** light caches kept at most (3, as Miningcore and open-etc-pool); one still building is never evicted */
  maxLightCaches?: number;
  /**
   * sizes to build with instead of the real ones (tests: 1024-byte caches and
   * 32 KiB datasets give the tiny vector of facts/ethash.md §4.4 in milliseconds)
   */
  sizes?: EthashSizes;
  /** where the addon comes from (default loadEthashNative, on first use) */
  native?: () => EthashNative;
  /** progress and build times (info), failed background builds (warn) */
  logger?: LodeLogger;
  /** warm() also prepares the next epoch's light cache (true) */
  warmNext?: boolean;
}

/** The options of EpochHasher.prepare. */
export interface PrepareOptions {
  /** also build the full dataset (GBs, minutes): miners only */
  full?: boolean;
  /** threads for the dataset build (default: all cores) */
  threads?: number;
  /** 0..1 as the build advances (the dataset's when `full`, else the light cache's) */
  onProgress?: (fraction: number) => void;
}

/** What EthashContexts.scan did: EpochScanResult plus the hits past the addon's cap. */
export interface EthashContextsScanResult extends EpochScanResult {
  /** hits not returned because the range held more than 4096 (0 unless the target is absurdly easy) */
  dropped: number;
}

/** The mix digest and final hash of one (header hash, nonce). */
export interface EthashHashResult {
  /** mix digest, 32 bytes */
  mix: Buffer;
  /** final hash, 32 bytes, compared big-endian with boundaries */
  final: Buffer;
}

interface LightEntry {
  readonly promise: Promise<LightCache>;
  building: boolean;
}

interface DatasetEntry {
  readonly promise: Promise<Dataset>;
  dataset?: Dataset;
}

/** chfast's ETHASH_MAX_EPOCH_NUMBER: sizes beyond it overflow 32-bit item counts (facts/ethash.md §2.1). */
const MAX_EPOCH = 32639;
const TWO_64 = 1n << 64n;
const MAX_SCAN_COUNT = 0xffff_ffff;
const MAX_THREADS = 256;
const TWO_256 = 1n << 256n;
const SEED_MEMO = 16;
const PROGRESS_STEP = 0.25;

const noLogger: LodeLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => noLogger,
};

/**
 * The ethash-family proof-of-work contexts of one process: light caches
 * (16-85 MB, seconds to build) keyed by (algo, epoch), and full datasets
 * (GBs, minutes) for miners that prepare them. This is the plugins'
 * `epochHasher` (the EpochHasher of @lode/plugin-api), shared by the "eth"
 * and "etc" coins.
 *
 * - `light(algo, epoch)` builds a light cache once per key, off the event
 *   loop; concurrent callers share one build; a failed build is not kept, so
 *   the next call tries again. At most `maxLightCaches` (3) are kept: the
 *   least recently used one that is not building goes first.
 * - `warm(algo, epoch)` builds the epoch's cache and then the next epoch's in
 *   the background (the pool calls it for every job, so both are ready before
 *   shares arrive and before the epoch changes). Builds log their progress
 *   ("light cache for ethash epoch 1: 50%") and time at info.
 * - `prepare`, `scan`, `retain`: EpochHasher for miners; `scan` walks nonces
 *   with the full dataset when one was prepared for the key, else with the
 *   light cache (about 100x slower per hash).
 *
 * The seed of (algo, epoch) is keccak256^seedEpoch(0^32) with seedEpoch =
 * epoch for ethash and 2 * epoch for ETChash (facts/ethash.md §2.8); sizes
 * come from the sizing epoch.
 *
 * @see facts/ethash.md §0 (2), §2, §6, §7
 */
export class EthashContexts implements EpochHasher {
  private readonly lights = new Map<string, LightEntry>();
  private readonly datasets = new Map<string, DatasetEntry>();
  private readonly seeds = new Map<number, Buffer>();
  /** seed hash (hex) -> seed epoch, null for none */
  private readonly seedEpochs = new Map<string, number | null>();
  private readonly maxLightCaches: number;
  private readonly loadNative: () => EthashNative;
  private readonly customSizes?: EthashSizes;
  private readonly warmNext: boolean;
  private readonly warming = new Set<Promise<void>>();
  private logger: LodeLogger;
  private addon?: EthashNative;

  /** @throws LodeError('config') for maxLightCaches below 1 */
  constructor(options: EthashContextsOptions = {}) {
    const max = options.maxLightCaches ?? 3;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new LodeError('config', `maxLightCaches must be an integer >= 1, got ${String(max)}`);
    }
    this.maxLightCaches = max;
    this.loadNative = options.native ?? loadEthashNative;
    this.customSizes = options.sizes;
    this.warmNext = options.warmNext ?? true;
    this.logger = options.logger ?? noLogger;
  }

  /**
   * The addon's code path ("portable", ...).
   *
   * @throws LodeError('plugin') when the addon did not load
   */
  get implementation(): string {
    return this.native().implementation();
  }

  /** Sends progress and failures of later builds to `logger` (the pool's, given at createNode). */
  useLogger(logger: LodeLogger): void {
    this.logger = logger;
  }

  /**
   * The light cache size of a sizing epoch, bytes.
   *
   * @throws LodeError('plugin') for an epoch outside 0..32639 or without the addon
   */
  cacheSize(epoch: number): number {
    assertEpoch(epoch);
    return this.customSizes?.cacheSize(epoch) ?? this.native().cacheSize(epoch);
  }

  /**
   * The dataset size of a sizing epoch, bytes (what hashimoto-light takes as `full_size`).
   *
   * @throws LodeError('plugin') for an epoch outside 0..32639 or without the addon
   */
  datasetSize(epoch: number): number {
    assertEpoch(epoch);
    return this.customSizes?.datasetSize(epoch) ?? this.native().datasetSize(epoch);
  }

  /**
   * The seed hash of (algo, epoch): keccak256 applied seedEpochOf(algo, epoch)
   * times to 32 zero bytes (remembered for the last 16 seed epochs).
   *
   * @returns 32 bytes (a shared buffer: do not modify it)
   * @throws LodeError('plugin') for an epoch outside 0..32639 or without the addon
   * @see facts/ethash.md §2.3, §4.6
   */
  seedHash(algo: EthashAlgo, epoch: number): Buffer {
    assertAlgo(algo);
    assertEpoch(epoch);
    const seedEpoch = seedEpochOf(algo, epoch);
    let seed = this.seeds.get(seedEpoch);
    if (seed === undefined) {
      seed = native(() => this.native().seedHash(seedEpoch));
      if (this.seeds.size >= SEED_MEMO) this.seeds.delete(this.seeds.keys().next().value as number);
      this.seeds.set(seedEpoch, seed);
    }
    return seed;
  }

  /**
   * The seed epoch of a seed hash: how many keccak256 rounds over 32 zero
   * bytes give it (the native addon walks the chain, one permutation per
   * step, up to seed epoch 65278; remembered for the last 16 seeds asked).
   *
   * @param seedHash 32 bytes
   * @returns the seed epoch, or undefined when the seed is none up to 65278
   * @throws LodeError('plugin') when seedHash is not 32 bytes, or without the addon
   * @see facts/ethash.md §2.3, §4.6
   */
  seedEpochOfSeed(seedHash: Buffer): number | undefined {
    if (!Buffer.isBuffer(seedHash) || seedHash.length !== 32) {
      throw new LodeError('plugin', `a seed hash is 32 bytes, got ${Buffer.isBuffer(seedHash) ? seedHash.length : typeof seedHash}`);
    }
    const key = seedHash.toString('hex');
    if (this.seedEpochs.has(key)) return this.seedEpochs.get(key) ?? undefined;
    const found = native(() => this.native().seedEpochOf(seedHash));
    if (this.seedEpochs.size >= SEED_MEMO) this.seedEpochs.delete(this.seedEpochs.keys().next().value as string);
    this.seedEpochs.set(key, found);
    return found ?? undefined;
  }

  /**
   * The light cache of (algo, epoch), built off the event loop on first use.
   *
   * @param onProgress 0..1 as the build advances, when this call starts it
   * @returns the cache (the same object for every caller while it is kept)
   * @throws LodeError('plugin') (rejects) when the build fails, for a bad algo
   *   or epoch, or without the addon
   */
  light(algo: EthashAlgo, epoch: number, onProgress?: (fraction: number) => void): Promise<LightCache> {
    try {
      assertAlgo(algo);
      assertEpoch(epoch);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = keyOf(algo, epoch);
    const known = this.lights.get(key);
    if (known !== undefined) {
      // most recently used last
      this.lights.delete(key);
      this.lights.set(key, known);
      return known.promise;
    }
    const entry: LightEntry = { building: true, promise: this.buildLight(algo, epoch, onProgress) };
    this.lights.set(key, entry);
    entry.promise.then(
      () => {
        entry.building = false;
        this.evict();
      },
      () => {
        if (this.lights.get(key) === entry) this.lights.delete(key);
      },
    );
    this.evict();
    return entry.promise;
  }

  /**
   * Prepares the light caches of (algo, epoch) and then of (algo, epoch + 1)
   * in the background; a failure is logged (warn), never thrown, and the next
   * light() call for the key tries again.
   */
  warm(algo: EthashAlgo, epoch: number): void {
    const next = this.warmNext && epoch < MAX_EPOCH ? epoch + 1 : undefined;
    const warming: Promise<void> = this.light(algo, epoch)
      .then(() => (next === undefined ? undefined : this.light(algo, next)))
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.warn({ algo, epoch, err: messageOf(error) }, 'could not prepare an ethash light cache; shares will retry');
        },
      )
      .finally(() => this.warming.delete(warming));
    this.warming.add(warming);
  }

  /**
   * Resolves when every build under way (and every warm() chain) has ended,
   * successfully or not: for an orderly shutdown, and for tests.
   */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [
        ...this.warming,
        ...[...this.lights.values()].filter((e) => e.building).map((e) => e.promise),
        ...[...this.datasets.values()].filter((e) => e.dataset === undefined).map((e) => e.promise),
      ];
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }

  /**
   * The mix digest and final hash of one nonce: with the full dataset when
   * one was prepared for (algo, epoch), else hashimoto-light on the key's
   * light cache (awaited when still building) on a worker thread.
   *
   * @param headerHash the 32-byte seal hash
   * @param nonce the 64-bit nonce (the number the wire's big-endian hex reads)
   * @throws LodeError('plugin') (rejects) as light(), or for a header hash not
   *   32 bytes or a nonce outside [0, 2^64)
   * @see facts/ethash.md §2.6
   */
  async hash(algo: EthashAlgo, epoch: number, headerHash: Buffer, nonce: bigint): Promise<EthashHashResult> {
    assertHeaderHash(headerHash);
    if (typeof nonce !== 'bigint' || nonce < 0n || nonce >= TWO_64) {
      throw new LodeError('plugin', `nonce must be a bigint in [0, 2^64), got ${String(nonce)}`);
    }
    const dataset = this.datasets.get(keyOf(algo, epoch))?.dataset;
    if (dataset !== undefined) return native(() => dataset.hash(headerHash, nonce));
    const cache = await this.light(algo, epoch);
    const datasetBytes = this.datasetSize(epoch);
    return await nativeAsync(() => cache.hashAsync(datasetBytes, headerHash, nonce));
  }

  /**
   * The cheap check of a claimed mix digest: keccak256(keccak512(headerHash ‖
   * nonce LE) ‖ mix), two keccaks on the event loop (microseconds), needing no
   * light cache or dataset. It equals the final hash of hashimoto when `mix`
   * is the true mix digest of (headerHash, nonce); a pool refuses a share
   * whose value (big-endian) is above the target before any light hash.
   *
   * @param headerHash the 32-byte seal hash
   * @param nonce the 64-bit nonce (the number the wire's big-endian hex reads)
   * @param mix the claimed 32-byte mix digest (EthProxy eth_submitWork params[2])
   * @returns the 32-byte would-be final hash
   * @throws LodeError('plugin') for a header hash or mix not 32 bytes, a nonce
   *   outside [0, 2^64), or without the addon
   * @see facts/ethash.md §1.1, §2.6, §2.7 (chfast verify_against_boundary check order)
   */
  quickFinal(headerHash: Buffer, nonce: bigint, mix: Buffer): Buffer {
    assertHeaderHash(headerHash);
    if (typeof nonce !== 'bigint' || nonce < 0n || nonce >= TWO_64) {
      throw new LodeError('plugin', `nonce must be a bigint in [0, 2^64), got ${String(nonce)}`);
    }
    if (!Buffer.isBuffer(mix) || mix.length !== 32) {
      throw new LodeError('plugin', `the mix digest is ${Buffer.isBuffer(mix) ? `${mix.length} bytes` : typeof mix}, expected 32 bytes`);
    }
    return native(() => this.native().quickFinal(headerHash, nonce, mix));
  }

  /**
   * Builds the light cache of (algo, epoch) and, with `full`, the full dataset
   * from it (kept until retain() drops it).
   *
   * @throws LodeError('plugin') (rejects) when a build fails, for threads
   *   outside 1..256, or as light()
   */
  async prepare(algo: EthashAlgo, epoch: number, options: PrepareOptions = {}): Promise<void> {
    const { full = false, onProgress } = options;
    const threads = options.threads ?? Math.min(MAX_THREADS, availableParallelism());
    assertThreads(threads);
    if (!full) {
      await this.light(algo, epoch, onProgress);
      return;
    }
    const key = keyOf(algo, epoch);
    let entry = this.datasets.get(key);
    if (entry === undefined) {
      const building: DatasetEntry = { promise: this.buildDataset(algo, epoch, threads, onProgress) };
      entry = building;
      this.datasets.set(key, building);
      building.promise.then(
        (dataset) => {
          if (this.datasets.get(key) === building) building.dataset = dataset;
        },
        () => {
          if (this.datasets.get(key) === building) this.datasets.delete(key);
        },
      );
    }
    await entry.promise;
  }

  /**
   * Walks `count` nonces from `startNonce` on native threads: on the full
   * dataset when prepare(..., { full: true }) made one for the key, else on
   * the light cache (built first when missing).
   *
   * @returns the hits (final hash <= target, read big-endian; at most 4096,
   *   ascending nonce, `dropped` counts the rest) and the hashes computed
   * @throws LodeError('plugin') (rejects) for a header hash not 32 bytes, a
   *   count outside [0, 2^32), a range past 2^64, a negative target, threads
   *   outside 1..256, or as light()
   */
  async scan(request: EpochScanRequest): Promise<EthashContextsScanResult> {
    const { algo, epoch, headerHash, startNonce, count, threads } = request;
    assertAlgo(algo);
    assertEpoch(epoch);
    assertHeaderHash(headerHash);
    assertThreads(threads);
    if (!Number.isSafeInteger(count) || count < 0 || count > MAX_SCAN_COUNT) {
      throw new LodeError('plugin', `count is ${String(count)}, expected an integer in [0, 2^32)`);
    }
    if (typeof startNonce !== 'bigint' || startNonce < 0n || startNonce + BigInt(count) > TWO_64) {
      throw new LodeError('plugin', `nonce range ${String(startNonce)} + ${String(count)} must lie within [0, 2^64)`);
    }
    const target = targetBytes(request.target);
    const dataset = this.datasets.get(keyOf(algo, epoch))?.dataset;
    const result =
      dataset !== undefined
        ? await nativeAsync(() => this.native().scanFull(dataset, headerHash, startNonce, count, target, threads))
        : await this.scanLight(algo, epoch, headerHash, startNonce, count, target, threads);
    return {
      hits: result.hits.map((hit) => ({ nonce: hit.nonce, mix: hit.mix, final: hit.final })),
      hashes: result.hashes,
      dropped: result.dropped,
    };
  }

  /**
   * Drops the light caches and datasets of every (algo, epoch) not in `keep`
   * (a build under way finishes for its callers but is not kept).
   */
  retain(keep: readonly { algo: EthashAlgo; epoch: number }[]): void {
    const kept = new Set(keep.map((k) => keyOf(k.algo, k.epoch)));
    for (const key of [...this.lights.keys()]) if (!kept.has(key)) this.lights.delete(key);
    for (const key of [...this.datasets.keys()]) if (!kept.has(key)) this.datasets.delete(key);
  }

  /**
   * The contexts held, least recently used light cache first (for logs and tests).
   *
   * @returns e.g. [{ algo: 'ethash', epoch: 0, light: 'ready', dataset: 'none' }]
   */
  held(): { algo: EthashAlgo; epoch: number; light: 'building' | 'ready' | 'none'; dataset: 'building' | 'ready' | 'none' }[] {
    const keys = [...new Set([...this.lights.keys(), ...this.datasets.keys()])];
    return keys.map((key) => {
      const [algo, epoch] = key.split(':') as [EthashAlgo, string];
      const light = this.lights.get(key);
      const dataset = this.datasets.get(key);
      return {
        algo,
        epoch: Number(epoch),
        light: light === undefined ? 'none' : light.building ? 'building' : 'ready',
        dataset: dataset === undefined ? 'none' : dataset.dataset === undefined ? 'building' : 'ready',
      };
    });
  }

  private async scanLight(
    algo: EthashAlgo,
    epoch: number,
    headerHash: Buffer,
    startNonce: bigint,
    count: number,
    target: Buffer,
    threads: number,
  ): ReturnType<EthashNative['scanLight']> {
    const cache = await this.light(algo, epoch);
    const datasetBytes = this.datasetSize(epoch);
    return await nativeAsync(() => this.native().scanLight(cache, datasetBytes, headerHash, startNonce, count, target, threads));
  }

  private async buildLight(algo: EthashAlgo, epoch: number, onProgress?: (fraction: number) => void): Promise<LightCache> {
    const label = `light cache for ${algo} epoch ${epoch}`;
    const bytes = this.cacheSize(epoch);
    const seed = this.seedHash(algo, epoch);
    const started = Date.now();
    const progress = this.progressLogger(label, { algo, epoch, bytes }, onProgress);
    this.logger.info({ algo, epoch, seedEpoch: seedEpochOf(algo, epoch), bytes }, `building the ${label}`);
    try {
      const cache = await nativeAsync(() => this.native().buildLightCache(bytes, seed, progress));
      this.logger.info({ algo, epoch, bytes, ms: Date.now() - started }, `${label} built in ${Date.now() - started} ms`);
      return cache;
    } catch (cause) {
      throw new LodeError('plugin', `the ${label} (${bytes} bytes) could not be built: ${messageOf(cause)}`, { cause });
    }
  }

  private async buildDataset(
    algo: EthashAlgo,
    epoch: number,
    threads: number,
    onProgress?: (fraction: number) => void,
  ): Promise<Dataset> {
    const cache = await this.light(algo, epoch);
    const label = `dataset for ${algo} epoch ${epoch}`;
    const bytes = this.datasetSize(epoch);
    const started = Date.now();
    const progress = this.progressLogger(label, { algo, epoch, bytes, threads }, onProgress);
    this.logger.info({ algo, epoch, bytes, threads }, `building the ${label}`);
    try {
      const dataset = await nativeAsync(() => this.native().buildDataset(cache, bytes, threads, progress));
      this.logger.info({ algo, epoch, bytes, ms: Date.now() - started }, `${label} built in ${Date.now() - started} ms`);
      return dataset;
    } catch (cause) {
      throw new LodeError('plugin', `the ${label} (${bytes} bytes) could not be built: ${messageOf(cause)}`, { cause });
    }
  }

  /** A progress callback that logs every 25% step once and forwards to `onProgress`. */
  private progressLogger(label: string, fields: object, onProgress?: (fraction: number) => void): (fraction: number) => void {
    let logged = 0;
    return (fraction: number) => {
      if (onProgress !== undefined) {
        try {
          onProgress(fraction);
        } catch (error) {
          this.logger.warn({ err: messageOf(error) }, `an onProgress callback of the ${label} threw`);
        }
      }
      if (fraction < 1 && fraction >= logged + PROGRESS_STEP) {
        logged = Math.floor(fraction / PROGRESS_STEP) * PROGRESS_STEP;
        this.logger.info({ ...fields, fraction: logged }, `${label}: ${Math.round(logged * 100)}%`);
      }
    };
  }

  /** Drops least recently used light caches beyond the cap, never one still building. */
  private evict(): void {
    if (this.lights.size <= this.maxLightCaches) return;
    for (const [key, entry] of this.lights) {
      if (this.lights.size <= this.maxLightCaches) break;
      if (!entry.building) {
        this.lights.delete(key);
        this.logger.debug({ key }, 'dropped the least recently used ethash light cache');
      }
    }
  }

  private native(): EthashNative {
    this.addon ??= this.loadNative();
    return this.addon;
  }
}

function keyOf(algo: EthashAlgo, epoch: number): string {
  return `${algo}:${epoch}`;
}

function assertAlgo(algo: string): void {
  if (algo !== 'ethash' && algo !== 'etchash') {
    throw new LodeError('plugin', `algo is ${JSON.stringify(algo)}, expected "ethash" or "etchash"`);
  }
}

function assertEpoch(epoch: number): void {
  if (!Number.isSafeInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) {
    throw new LodeError('plugin', `epoch is ${String(epoch)}, expected an integer in 0..${MAX_EPOCH}`);
  }
}

function assertThreads(threads: number): void {
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new LodeError('plugin', `threads is ${String(threads)}, expected an integer in 1..${MAX_THREADS}`);
  }
}

function assertHeaderHash(headerHash: Buffer): void {
  if (!Buffer.isBuffer(headerHash) || headerHash.length !== 32) {
    throw new LodeError('plugin', `the header hash is ${Buffer.isBuffer(headerHash) ? `${headerHash.length} bytes` : typeof headerHash}, expected 32 bytes`);
  }
}

/** A target as the 32 big-endian bytes the addon compares final hashes with; 2^256 and above mean every hash. */
function targetBytes(target: bigint): Buffer {
  if (typeof target !== 'bigint' || target < 0n) {
    throw new LodeError('plugin', `target must be a bigint >= 0, got ${String(target)}`);
  }
  const clamped = target >= TWO_256 ? TWO_256 - 1n : target;
  return Buffer.from(clamped.toString(16).padStart(64, '0'), 'hex');
}

/** Runs a native call, turning its errors into LodeError('plugin') with the same message. */
function native<T>(call: () => T): T {
  try {
    return call();
  } catch (cause) {
    if (LodeError.is(cause)) throw cause;
    throw new LodeError('plugin', messageOf(cause), { cause });
  }
}

async function nativeAsync<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (LodeError.is(cause)) throw cause;
    throw new LodeError('plugin', messageOf(cause), { cause });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
