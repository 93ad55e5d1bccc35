import { EventEmitter } from 'node:events';
import { LodeError } from '@lode/stratum-core';
import { hex64, quantityHex } from '../chain/boundary';
import type { EthashWork } from '../chain/ethash-block';
import { EthashChain, STALE_THRESHOLD } from '../chain/ethash-chain';
import type { EthashChainOptions } from '../chain/ethash-chain';
import { epochKey, ethashEpochAt, nextEpochStart } from '../chain/ethash-epoch';
import type { EthashEpoch } from '../chain/ethash-epoch';
import type { EthashVerifier } from '../verify/ethash-verifier';
import type { EthashDevnetEventMap, EthashRejectReason, EthashWorkReason } from './ethash-devnet-events';

/** Options of an {@link EthashDevnetNode}. */
export interface EthashDevnetNodeOptions extends EthashChainOptions {
  /** judges sealed works; the node owns it and closes it */
  verifier: EthashVerifier;
  /** make new work at the same height every N ms, as new transactions would; 0 or unset: only on new blocks */
  workRefreshMs?: number;
  /** emit `max-blocks` once this many canonical blocks were sealed */
  maxBlocks?: number;
  /** build the next epoch's light cache in the background; default true */
  prebuildNextEpoch?: boolean;
  /** the node's clock, milliseconds; default Date.now */
  clock?: () => number;
  /** most miner ids whose hashrate is remembered; default 256 */
  maxHashrateIds?: number;
}

/** `eth_getWork`'s answer: seal hash, seed hash, boundary (all "0x" + 64 hex) and the block number as a quantity. */
export type EthashWorkPackage = [sealHash: string, seedHash: string, boundary: string, height: string];

/** The last hashrate a miner reported: hashes per second, and when (ms of the node's clock). */
export interface ReportedHashrate {
  hashrate: bigint;
  at: number;
}

const nonceHex = (nonce: bigint): string => `0x${nonce.toString(16).padStart(16, '0')}`;
const hex = (b: Buffer): string => `0x${b.toString('hex')}`;

/**
 * The simulated Ethereum-family node behind the ethash devnet's JSON-RPC:
 * an {@link EthashChain}, the light caches of its epochs (through an
 * {@link EthashVerifier}), and core-geth's remote-sealer rules for
 * `eth_submitWork`. Emits the events of {@link EthashDevnetEventMap}.
 *
 * Owns a refresh timer (with `workRefreshMs`) and the verifier: call {@link close}.
 *
 * @see facts/ethash.md §1.1 (getWork/submitWork shapes), §5.3 (core-geth remoteSealer)
 */
export class EthashDevnetNode extends EventEmitter<EthashDevnetEventMap> {
  readonly chain: EthashChain;
  readonly verifier: EthashVerifier;
  private readonly clock: () => number;
  private readonly refreshMs: number;
  private readonly maxBlocks?: number;
  private readonly prebuild: boolean;
  private readonly maxHashrateIds: number;
  private readonly announced = new Set<string>();
  private readonly hashrateById = new Map<string, ReportedHashrate>();
  private timer?: NodeJS.Timeout;
  private maxBlocksReported = false;
  private closed = false;

  /** @throws LodeError('config') for invalid chain options, refresh period, maxBlocks or hashrate cap */
  constructor(options: EthashDevnetNodeOptions) {
    super();
    this.clock = options.clock ?? Date.now;
    this.refreshMs = options.workRefreshMs ?? 0;
    if (!(Number.isFinite(this.refreshMs) && this.refreshMs >= 0)) {
      throw new LodeError('config', `work refresh period ${this.refreshMs} ms is not a finite number >= 0`);
    }
    if (options.maxBlocks !== undefined && !(Number.isSafeInteger(options.maxBlocks) && options.maxBlocks >= 1)) {
      throw new LodeError('config', `maxBlocks ${options.maxBlocks} is not an integer >= 1`);
    }
    this.maxBlocks = options.maxBlocks;
    this.maxHashrateIds = options.maxHashrateIds ?? 256;
    if (!(Number.isSafeInteger(this.maxHashrateIds) && this.maxHashrateIds >= 1)) {
      throw new LodeError('config', `maxHashrateIds ${this.maxHashrateIds} is not an integer >= 1`);
    }
    this.prebuild = options.prebuildNextEpoch ?? true;
    this.verifier = options.verifier;
    this.chain = new EthashChain(options, (seedEpoch) => this.verifier.seedHash(seedEpoch), this.now());
  }

  /** The node's clock, whole seconds. */
  now(): number {
    return Math.floor(this.clock() / 1000);
  }

  /**
   * Builds the light cache of the current work's epoch (resolves when it is
   * ready; ~1.5 s at epoch 0), starts the next epoch's in the background
   * and the refresh timer, and emits the first `work` event.
   */
  async start(): Promise<void> {
    await this.announcePrepare(this.chain.work.epoch);
    if (this.closed) return;
    this.maintainCaches();
    if (this.refreshMs > 0 && !this.timer) {
      this.timer = setInterval(() => this.refreshWork(), this.refreshMs);
      this.timer.unref();
    }
    this.emitWork(this.chain.work, 'start');
  }

  /**
   * `eth_getWork`: [sealHash, seedHash, boundary, blockNumber], the first
   * three "0x" + 64 hex digits (boundary zero-padded), the last a quantity
   * ("0x1e"), as core-geth's `makeWork`.
   *
   * @see facts/ethash.md §1.1, §5.3
   */
  getWork(): EthashWorkPackage {
    const w = this.chain.work;
    return [w.sealHashHex, hex(w.seedHash), `0x${hex64(w.boundary)}`, quantityHex(w.height)];
  }

  /** Makes new work at the same height (new timestamp and counter, so a new seal hash) and emits `work`. */
  refreshWork(): EthashWork {
    const work = this.chain.newWork(this.now());
    this.emitWork(work, 'refresh');
    return work;
  }

  /**
   * `eth_submitWork` with core-geth's remote-sealer rules, in its order:
   *
   * 1. unknown seal hash -> false, "none pending";
   * 2. recompute with the light cache of the work's epoch: mix differs ->
   *    false, "invalid mix digest"; final > boundary -> false, "high hash";
   * 3. not `height + 7 > head` -> false, "stale";
   * 4. true: on the head the block is appended, new work is made at once and
   *    `block` then `work` are emitted (canonical); on an older parent it is a side block
   *    (`block` with canonical false, the head stays); the same block again
   *    is answered true with a `warning`.
   *
   * @param nonce the 64-bit nonce
   * @param sealHash 32 bytes, as `eth_getWork[0]` gave it
   * @param mixDigest 32 bytes, the miner's mix digest
   * @throws LodeError('node') when the light cache cannot be built or hashed with
   * @see facts/ethash.md §5.3; etclabscore/core-geth consensus/ethash/sealer.go (submitWork), consensus.go (verifySeal)
   */
  async submitWork(nonce: bigint, sealHash: Buffer, mixDigest: Buffer): Promise<boolean> {
    const work = this.chain.findWork(sealHash);
    if (!work) return this.reject('none pending', hex(sealHash), nonce);
    let result;
    try {
      result = await this.verifier.hash(work.epoch, work.sealHash, nonce);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      throw new LodeError('node', `ethash verification of ${work.sealHashHex} failed: ${message}`, { cause, code: -32000 });
    }
    if (!result.mix.equals(mixDigest)) return this.reject('invalid mix digest', work.sealHashHex, nonce, work.height);
    if (BigInt(hex(result.final)) > work.boundary) return this.reject('high hash', work.sealHashHex, nonce, work.height);
    if (this.chain.isStale(work)) return this.reject('stale', work.sealHashHex, nonce, work.height);
    const { outcome, block } = this.chain.seal(work, nonce, mixDigest);
    if (outcome === 'duplicate') {
      this.emit('warning', { message: `block ${block.height} ${hex(block.hash)} was already sealed (duplicate submit of ${work.sealHashHex})` });
      return true;
    }
    const canonical = outcome === 'canonical';
    // the new work exists before the reply goes out; its event follows the block's
    const next = canonical ? this.chain.newWork(this.now()) : undefined;
    this.emit('block', {
      height: block.height,
      hash: hex(block.hash),
      parentHash: hex(block.parentHash),
      sealHash: work.sealHashHex,
      nonce: nonceHex(nonce),
      mix: hex(mixDigest),
      final: hex(result.final),
      canonical,
    });
    if (next) {
      this.emitWork(next, 'block');
      this.maintainCaches();
      this.checkMaxBlocks();
    }
    return true;
  }

  /**
   * `eth_submitHashrate`: records the miner's rate (the last one per id, at
   * most `maxHashrateIds` ids, oldest dropped), emits `hashrate`, answers true.
   *
   * @param hashrate hashes per second
   * @param id the miner's 32-byte id, "0x" + 64 hex digits
   */
  submitHashrate(hashrate: bigint, id: string): boolean {
    this.hashrateById.delete(id);
    this.hashrateById.set(id, { hashrate, at: this.clock() });
    while (this.hashrateById.size > this.maxHashrateIds) {
      this.hashrateById.delete(this.hashrateById.keys().next().value as string);
    }
    this.emit('hashrate', { hashrate: Number(hashrate), id });
    return true;
  }

  /** The rates miners reported, by id. */
  get hashrates(): ReadonlyMap<string, ReportedHashrate> {
    return this.hashrateById;
  }

  /** Stops the refresh timer and closes the verifier (waiting for cache builds in flight). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.verifier.close();
  }

  private reject(reason: EthashRejectReason, sealHash: string, nonce: bigint, height?: number): false {
    this.emit('rejected', { reason, sealHash, nonce: nonceHex(nonce), ...(height === undefined ? {} : { height }) });
    return false;
  }

  private emitWork(work: EthashWork, reason: EthashWorkReason): void {
    this.emit('work', {
      height: work.height,
      sealHash: work.sealHashHex,
      seedHash: hex(work.seedHash),
      boundary: `0x${hex64(work.boundary)}`,
      epoch: work.epoch.epoch,
      reason,
    });
  }

  /**
   * Keeps the caches a submit can still need (the current work's epoch and
   * that of the oldest work within the stale window) plus the next epoch's,
   * which is built in the background.
   */
  private maintainCaches(): void {
    const rules = this.chain.rules;
    const height = this.chain.work.height;
    const current = this.chain.work.epoch;
    const oldest = ethashEpochAt(Math.max(this.chain.startHeight, height - STALE_THRESHOLD), rules);
    const next = this.prebuild ? ethashEpochAt(nextEpochStart(height, rules), rules) : undefined;
    const keep = new Map<string, EthashEpoch>();
    for (const epoch of [current, oldest, next]) if (epoch) keep.set(epochKey(epoch), epoch);
    this.verifier.retain([...keep.values()]);
    for (const key of this.announced) if (!keep.has(key)) this.announced.delete(key);
    for (const epoch of next ? [current, next] : [current]) {
      this.announcePrepare(epoch).catch((e: unknown) => {
        this.emit('warning', { message: `light cache for epoch ${epoch.epoch} failed: ${e instanceof Error ? e.message : String(e)}` });
      });
    }
  }

  /** verifier.prepare, emitting `cache` the first time an epoch's cache is ready. */
  private async announcePrepare(epoch: EthashEpoch): Promise<void> {
    const key = epochKey(epoch);
    if (this.announced.has(key)) return;
    this.announced.add(key);
    const started = this.clock();
    try {
      await this.verifier.prepare(epoch);
    } catch (e) {
      this.announced.delete(key);
      throw e;
    }
    if (this.closed) return;
    this.emit('cache', {
      epoch: epoch.epoch,
      seedEpoch: epoch.seedEpoch,
      seedHash: hex(this.chain.seedOf(epoch.seedEpoch)),
      ms: this.clock() - started,
    });
  }

  private checkMaxBlocks(): void {
    if (this.maxBlocks === undefined || this.maxBlocksReported) return;
    if (this.chain.minedBlocks >= this.maxBlocks) {
      this.maxBlocksReported = true;
      this.emit('max-blocks', { blocks: this.maxBlocks });
    }
  }
}
