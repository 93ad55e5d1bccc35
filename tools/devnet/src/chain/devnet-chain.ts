import { LodeError } from '@lode/stratum-core';
import type { DecodedBlock } from '../block/block-codec';
import { headerHash } from '../block/block-header';
import { displayHex } from '../bytes/hex';
import { blockSubsidy, REGTEST_HALVING_INTERVAL } from './block-subsidy';
import type { ChainEntry } from './chain-entry';
import { coinbaseTag } from './coinbase-tag';
import { decodeCompact, targetFromCompact, workFromTarget } from './compact-target';
import { DEVNET_GENESIS } from './genesis';
import { MEDIAN_TIME_SPAN, medianTimePast } from './median-time-past';

/** The devnet's default nBits: target 2^229, about 2^27 = 134,217,728 expected hashes per block. */
export const DEFAULT_DEVNET_NBITS = 0x1d200000;

/** The highest target a devnet block may have (regtest's powLimit, 0x7fff…ff = nBits 207fffff). */
export const DEVNET_POW_LIMIT = (1n << 255n) - 1n;

/** Options of a {@link DevnetChain}. */
export interface DevnetChainOptions {
  /** constant network nBits of every block after genesis; default {@link DEFAULT_DEVNET_NBITS} */
  bits?: number;
  /** blocks between subsidy halvings; default 150 (regtest) */
  halvingInterval?: number;
}

/**
 * What the next block on top of a given parent must satisfy: its height,
 * nBits, the parent's median time past (the block's time must be greater)
 * and the subsidy (satoshis).
 */
export interface NextBlockRules {
  height: number;
  bits: number;
  medianTimePast: number;
  subsidy: bigint;
}

/**
 * An in-memory, single-branch chain: the fixed devnet genesis and the blocks
 * connected on top of it. The network target is constant (no retargeting:
 * every block must carry the configured nBits), and there are no reorgs: a
 * block is connected only on the current tip.
 *
 * Memory grows by one {@link ChainEntry} (a few hundred bytes) per block.
 */
export class DevnetChain {
  /** nBits every block after genesis must carry. */
  readonly bits: number;
  /** Target from {@link bits}. */
  readonly target: bigint;
  readonly halvingInterval: number;
  private readonly entries: ChainEntry[] = [];
  private readonly byHash = new Map<string, ChainEntry>();

  /**
   * @throws LodeError('config') when `bits` is not a positive target at or below the regtest limit (207fffff)
   */
  constructor(options: DevnetChainOptions = {}) {
    this.bits = (options.bits ?? DEFAULT_DEVNET_NBITS) >>> 0;
    this.target = targetFromCompact(this.bits);
    if (this.target > DEVNET_POW_LIMIT) {
      throw new LodeError('config', `nbits 0x${this.bits.toString(16)} is above the devnet's limit 0x207fffff`);
    }
    this.halvingInterval = options.halvingInterval ?? REGTEST_HALVING_INTERVAL;
    if (!Number.isInteger(this.halvingInterval) || this.halvingInterval < 1) {
      throw new LodeError('config', `halving interval ${this.halvingInterval} is not a positive integer`);
    }
    const g = DEVNET_GENESIS;
    const hash = headerHash(g.header);
    this.push({
      hash,
      hashHex: displayHex(hash),
      height: 0,
      header: g.header,
      chainWork: workFromTarget(decodeCompact(g.header.bits).target),
      medianTimePast: g.header.time,
      txCount: 1,
      size: g.bytes.length,
      strippedSize: g.bytes.length,
      weight: g.bytes.length * 4,
      coinbaseTag: '',
    });
  }

  /** The best block. */
  get tip(): ChainEntry {
    return this.entries[this.entries.length - 1];
  }

  /** Height of the best block (genesis = 0). */
  get height(): number {
    return this.entries.length - 1;
  }

  /** The entry of a block by display hash, if the chain has it. */
  entryByHash(hashHex: string): ChainEntry | undefined {
    return this.byHash.get(hashHex.toLowerCase());
  }

  /** The entry at `height`, if within [0, height]. */
  entryAtHeight(height: number): ChainEntry | undefined {
    return this.entries[height];
  }

  /** The rules a block built on `parent` (default: the tip) must meet. */
  nextBlockRules(parent: ChainEntry = this.tip): NextBlockRules {
    const height = parent.height + 1;
    return { height, bits: this.bits, medianTimePast: parent.medianTimePast, subsidy: blockSubsidy(height, this.halvingInterval) };
  }

  /**
   * Appends a block that has already been validated on the tip.
   *
   * @throws LodeError('node') when the block's parent is not the tip
   */
  connect(block: DecodedBlock): ChainEntry {
    const parent = this.tip;
    if (!block.header.prevHash.equals(parent.hash)) {
      throw new LodeError('node', `block ${block.hashHex} does not build on the tip ${parent.hashHex}`);
    }
    const times = this.entries.slice(-(MEDIAN_TIME_SPAN - 1)).map((e) => e.header.time);
    times.push(block.header.time);
    const entry: ChainEntry = {
      hash: block.hash,
      hashHex: block.hashHex,
      height: parent.height + 1,
      header: block.header,
      chainWork: parent.chainWork + workFromTarget(decodeCompact(block.header.bits).target),
      medianTimePast: medianTimePast(times),
      txCount: block.transactions.length,
      size: block.size,
      strippedSize: block.strippedSize,
      weight: block.weight,
      coinbaseTag: coinbaseTag(block.transactions[0].tx.inputs[0].scriptSig),
    };
    this.push(entry);
    return entry;
  }

  private push(entry: ChainEntry): void {
    this.entries.push(entry);
    this.byHash.set(entry.hashHex, entry);
  }
}
