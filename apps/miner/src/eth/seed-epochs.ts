import { LodeError } from '@lode/stratum-core';
import { keccak256 } from './keccak256';

/**
 * The largest seed epoch searched: ETChash sizing epoch 32639 (chfast's
 * ETHASH_MAX_EPOCH_NUMBER) has seed epoch 2 * 32639 (facts/ethash.md §2.1, §2.8).
 */
export const MAX_SEED_EPOCH = 2 * 32639;

/** The epoch a classic job's seed hash stands for, and the algorithm to hash it with. */
export interface SeedWork {
  algo: 'ethash' | 'etchash';
  /** the sizing epoch (what EpochHasher.prepare/scan take) */
  epoch: number;
  /** keccak256 rounds that give the seed hash (ethash: = epoch; etchash: 2 * epoch) */
  seedEpoch: number;
}

/**
 * Seed hash -> epoch, for the dialects whose jobs carry the seed hash but not
 * the epoch (EthProxy, EthereumStratum/1.0.0, plain stratum):
 * `seed(e) = keccak256^e(0^32)` (facts/ethash.md §2.3). The chain of seeds is
 * computed once, as far as the highest seed asked for (at most
 * {@link MAX_SEED_EPOCH} keccaks, ~20 µs each), and kept.
 */
export class SeedEpochs {
  private readonly known = new Map<string, number>([['00'.repeat(32), 0]]);
  private last: Buffer = Buffer.alloc(32);
  private lastEpoch = 0;

  /**
   * The seed epoch of `seedHash` (64 hex digits, any case, no 0x), or
   * undefined when no epoch up to {@link MAX_SEED_EPOCH} has it.
   */
  seedEpochOf(seedHash: string): number | undefined {
    const key = seedHash.toLowerCase();
    const found = this.known.get(key);
    if (found !== undefined || this.lastEpoch >= MAX_SEED_EPOCH) return found;
    while (this.lastEpoch < MAX_SEED_EPOCH) {
      this.last = keccak256(this.last);
      this.lastEpoch++;
      const hex = this.last.toString('hex');
      this.known.set(hex, this.lastEpoch);
      if (hex === key) return this.lastEpoch;
    }
    return undefined;
  }

  /**
   * What to hash a classic job with: its seed epoch s, and
   *
   * - `algo: "etchash"` in the job: ETChash, sizing epoch s / 2 (ECIP-1099:
   *   the seed keeps the 30000-block count, so ETChash epoch e has the seed
   *   of ethash epoch 2e; facts/ethash.md §0 (3), §2.8);
   * - `algo: "ethash"`: ethash, epoch s;
   * - no algo: the coin's algorithm decides (`chainAlgo`): an ETChash coin
   *   (ETC) reads an even s as ETChash epoch s / 2 (a seed hash alone is
   *   ambiguous, the coin settles it), an odd s as ethash (its blocks before
   *   the fork were plain ethash); an ethash coin reads s.
   *
   * @param seedHash 64 hex digits
   * @param algoHint the job's `algo` member, when the pool sent one
   * @param chainAlgo the coin's algorithm ("ethash" or "etchash")
   * @throws LodeError('protocol') for a seed hash of no epoch up to
   *   MAX_SEED_EPOCH, an `algo` other than ethash/etchash, or an
   *   "etchash" job whose seed epoch is odd (no ETChash epoch has that seed)
   */
  workOf(seedHash: string, algoHint: string | undefined, chainAlgo: 'ethash' | 'etchash'): SeedWork {
    const seedEpoch = this.seedEpochOf(seedHash);
    if (seedEpoch === undefined) {
      throw new LodeError('protocol', `seed hash ${seedHash} is the seed of no epoch up to ${MAX_SEED_EPOCH} (keccak256^e of 32 zero bytes)`);
    }
    if (algoHint !== undefined && algoHint !== 'ethash' && algoHint !== 'etchash') {
      throw new LodeError('protocol', `job algo "${algoHint}" is neither "ethash" nor "etchash"`);
    }
    const algo = algoHint ?? (chainAlgo === 'etchash' && seedEpoch % 2 === 0 ? 'etchash' : 'ethash');
    if (algo === 'etchash') {
      if (seedEpoch % 2 !== 0) {
        throw new LodeError('protocol', `an etchash job with seed epoch ${seedEpoch}: ETChash seeds are those of even ethash epochs`);
      }
      return { algo, epoch: seedEpoch / 2, seedEpoch };
    }
    return { algo, epoch: seedEpoch, seedEpoch };
  }
}
