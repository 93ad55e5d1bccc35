import { LodeError } from '@lode/stratum-core';
import { ethashBoundary, parseDifficulty } from './boundary';
import { devnetAnchorHash, devnetBlockHash, devnetSealHash } from './devnet-hashes';
import type { EthashBlock, EthashWork } from './ethash-block';
import { ethashEpochAt } from './ethash-epoch';
import type { EthashAlgo, EthashRules } from './ethash-epoch';

/**
 * A sealed work is accepted only while `height + 7 > head` (core-geth's
 * remote sealer `staleThreshold`, facts/ethash.md §5.3).
 */
export const STALE_THRESHOLD = 7;

/**
 * Works (and side blocks) are forgotten once this many blocks behind the
 * head, so that a late submit is answered "stale" rather than "none pending"
 * for a while (core-geth purges every 5 s).
 */
export const WORK_RETENTION_BLOCKS = 2 * STALE_THRESHOLD + 2;

/** Default difficulty: about 1000 light hashes (~5 s for one CPU thread) per block. */
export const DEFAULT_ETHASH_DEVNET_DIFFICULTY = 1000n;

/** Options of an {@link EthashChain}. */
export interface EthashChainOptions {
  /**
   * constant difficulty of every block (no retargeting); boundary =
   * 2^256 / difficulty; default 1000 (~1000 hashes per block)
   */
  difficulty?: bigint | number;
  /** default "ethash" */
  algo?: EthashAlgo;
  /**
   * ETChash only: the ECIP-1099 block from which epochs are 60000 blocks
   * long. Default 0: ETChash from genesis, so every height uses
   * epoch = floor(height / 60000) for sizes and seed epoch 2 * epoch.
   */
  ecip1099Block?: number;
  /** height of the first work; the chain starts on an anchor block at startHeight - 1; default 1 */
  startHeight?: number;
  /** most works remembered at once (oldest dropped first); default 256 */
  maxPendingWorks?: number;
}

/** How {@link EthashChain.seal} placed a block. */
export type SealOutcome = 'canonical' | 'side' | 'duplicate';

/** The seed hash of a seed epoch: keccak256 applied seedEpoch times to 32 zero bytes. */
export type SeedHashFunction = (seedEpoch: number) => Buffer;

function integerOption(value: number | undefined, fallback: number, min: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) {
    throw new LodeError('config', `${what} ${String(value)} is not an integer >= ${min}`);
  }
  return value;
}

/**
 * The devnet's chain and its pending works, with no hashing of its own:
 * a constant difficulty, an anchor block at startHeight - 1, canonical
 * blocks appended by {@link seal}, side blocks (sealed works whose parent is
 * no longer the head) remembered only to spot duplicates. No reorgs.
 *
 * Memory: every canonical block is kept (a block is ~200 bytes); works and
 * side blocks are dropped once {@link WORK_RETENTION_BLOCKS} behind the head,
 * and works beyond `maxPendingWorks` oldest first.
 */
export class EthashChain {
  readonly rules: EthashRules;
  readonly difficulty: bigint;
  /** floor(2^256 / difficulty), clamped to 2^256 - 1 */
  readonly boundary: bigint;
  /** height of the first work */
  readonly startHeight: number;
  private readonly maxPendingWorks: number;
  private readonly blocks: EthashBlock[] = [];
  private readonly canonical = new Map<string, EthashBlock>();
  private readonly side = new Map<string, EthashBlock>();
  private readonly works = new Map<string, EthashWork>();
  private readonly seeds = new Map<number, Buffer>();
  private counter = 0;
  private current: EthashWork;

  /**
   * @param seedHash the seed of a seed epoch (memoized here)
   * @param now the first work's timestamp, seconds
   * @throws LodeError('config') for an invalid difficulty, algo, ECIP-1099 block, start height or work cap
   */
  constructor(
    options: EthashChainOptions,
    private readonly seedHash: SeedHashFunction,
    now: number,
  ) {
    const algo = options.algo ?? 'ethash';
    if (algo !== 'ethash' && algo !== 'etchash') throw new LodeError('config', `algo "${String(algo)}" is neither "ethash" nor "etchash"`);
    this.rules = { algo, ecip1099Block: integerOption(options.ecip1099Block, 0, 0, 'ECIP-1099 block') };
    this.difficulty = parseDifficulty(options.difficulty ?? DEFAULT_ETHASH_DEVNET_DIFFICULTY);
    this.boundary = ethashBoundary(this.difficulty);
    this.startHeight = integerOption(options.startHeight, 1, 1, 'start height');
    this.maxPendingWorks = integerOption(options.maxPendingWorks, 256, 1, 'maxPendingWorks');
    const anchorHeight = this.startHeight - 1;
    const anchor: EthashBlock = {
      height: anchorHeight,
      hash: devnetAnchorHash(anchorHeight),
      parentHash: Buffer.alloc(32),
      sealHash: Buffer.alloc(32),
      nonce: 0n,
      mixDigest: Buffer.alloc(32),
      difficulty: this.difficulty,
      totalDifficulty: this.difficulty * BigInt(anchorHeight + 1),
      timestamp: now,
    };
    this.blocks.push(anchor);
    this.canonical.set(anchor.hash.toString('hex'), anchor);
    this.current = this.newWork(now);
  }

  /** The chain's last block. */
  get head(): EthashBlock {
    return this.blocks[this.blocks.length - 1];
  }

  /** The head's block number. */
  get height(): number {
    return this.head.height;
  }

  /** The newest work (what `eth_getWork` returns). */
  get work(): EthashWork {
    return this.current;
  }

  /** How many works are remembered. */
  get pendingWorks(): number {
    return this.works.size;
  }

  /** How many blocks were sealed onto the chain (the anchor not counted). */
  get minedBlocks(): number {
    return this.blocks.length - 1;
  }

  /** The canonical block at `height`, or undefined (below the anchor or above the head). */
  blockAt(height: number): EthashBlock | undefined {
    return this.blocks[height - (this.startHeight - 1)];
  }

  /** A canonical block by its 32-byte hash. */
  blockByHash(hash: Buffer): EthashBlock | undefined {
    return this.canonical.get(hash.toString('hex'));
  }

  /** A remembered work by its 32-byte seal hash. */
  findWork(sealHash: Buffer): EthashWork | undefined {
    return this.works.get(sealHash.toString('hex'));
  }

  /** The seed hash of a seed epoch (memoized). */
  seedOf(seedEpoch: number): Buffer {
    let seed = this.seeds.get(seedEpoch);
    if (!seed) {
      seed = this.seedHash(seedEpoch);
      this.seeds.set(seedEpoch, seed);
    }
    return seed;
  }

  /**
   * Makes a new work on the head (a new seal hash even at the same height)
   * and makes it the current one.
   *
   * @param timestamp seconds
   */
  newWork(timestamp: number): EthashWork {
    const head = this.head;
    const height = head.height + 1;
    const counter = ++this.counter;
    const sealHash = devnetSealHash({ parentHash: head.hash, height, timestamp, counter });
    const epoch = ethashEpochAt(height, this.rules);
    const work: EthashWork = {
      sealHash,
      sealHashHex: `0x${sealHash.toString('hex')}`,
      height,
      parentHash: head.hash,
      timestamp,
      counter,
      epoch,
      seedHash: this.seedOf(epoch.seedEpoch),
      difficulty: this.difficulty,
      boundary: this.boundary,
    };
    this.works.set(sealHash.toString('hex'), work);
    while (this.works.size > this.maxPendingWorks) {
      const oldest = this.works.keys().next().value as string;
      this.works.delete(oldest);
    }
    this.current = work;
    return work;
  }

  /** True when a work is too old to be sealed: not `height + 7 > head` (core-geth, facts/ethash.md §5.3). */
  isStale(work: EthashWork): boolean {
    return !(work.height + STALE_THRESHOLD > this.head.height);
  }

  /**
   * Records a sealed work whose proof of work was already checked.
   *
   * - parent is the head: appended, the head advances ("canonical"); the
   *   caller makes new work;
   * - parent is an older block: remembered as a side block, the head stays ("side");
   * - the same block was sealed before: nothing changes ("duplicate").
   */
  seal(work: EthashWork, nonce: bigint, mixDigest: Buffer): { outcome: SealOutcome; block: EthashBlock } {
    const hash = devnetBlockHash(work.sealHash, nonce, mixDigest);
    const key = hash.toString('hex');
    const known = this.canonical.get(key) ?? this.side.get(key);
    if (known) return { outcome: 'duplicate', block: known };
    const parent = this.canonical.get(work.parentHash.toString('hex'));
    const block: EthashBlock = {
      height: work.height,
      hash,
      parentHash: work.parentHash,
      sealHash: work.sealHash,
      nonce,
      mixDigest: Buffer.from(mixDigest),
      difficulty: work.difficulty,
      totalDifficulty: (parent?.totalDifficulty ?? 0n) + work.difficulty,
      timestamp: work.timestamp,
    };
    if (!work.parentHash.equals(this.head.hash)) {
      this.side.set(key, block);
      return { outcome: 'side', block };
    }
    this.blocks.push(block);
    this.canonical.set(key, block);
    this.purge();
    return { outcome: 'canonical', block };
  }

  private purge(): void {
    const horizon = this.head.height - WORK_RETENTION_BLOCKS;
    for (const [key, work] of this.works) if (work.height <= horizon) this.works.delete(key);
    for (const [key, block] of this.side) if (block.height <= horizon) this.side.delete(key);
  }
}
