import type { CoinPlugin, SeedWork } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';

/**
 * Seed hash -> epoch and algorithm, for the dialects whose jobs carry the
 * seed hash but not the epoch (EthereumStratum/1.0.0, EthProxy, plain
 * stratum; facts/ethash.md §1.6). The coin plugin decides
 * (CoinPlugin.workOfSeed: its native addon walks the keccak256 chain, and
 * its epoch rule reads an unflagged ETChash seed, ECIP-1099); this class
 * checks the job's `algo` member and turns "no epoch" into an error the
 * miner reports for that job.
 */
export class SeedEpochs {
  private readonly workOfSeed: NonNullable<CoinPlugin['workOfSeed']>;

  /**
   * @param coin the discovered coin plugin
   * @throws LodeError('config') when the coin cannot read seed hashes (no workOfSeed: not of the ethash family)
   */
  constructor(coin: Pick<CoinPlugin, 'id' | 'workOfSeed'>) {
    const workOfSeed = coin.workOfSeed?.bind(coin);
    if (workOfSeed === undefined) {
      throw new LodeError('config', `coin '${coin.id}' cannot tell the epoch of a seed hash (no workOfSeed): it cannot mine EthereumStratum/1.0.0, EthProxy or plain stratum jobs`);
    }
    this.workOfSeed = workOfSeed;
  }

  /**
   * What to hash a classic job with.
   *
   * @param seedHash 64 hex digits, any case, no 0x
   * @param algoHint the job's top-level `algo` member, when the pool sent one
   * @throws LodeError('protocol') for a seed hash that is not 64 hex digits,
   *   an `algo` other than ethash/etchash, or a seed of no epoch (or an
   *   "etchash" job whose seed epoch is odd)
   */
  workOf(seedHash: string, algoHint: string | undefined): SeedWork {
    if (!/^[0-9a-fA-F]{64}$/.test(seedHash)) {
      throw new LodeError('protocol', `seed hash ${JSON.stringify(seedHash)} is not 64 hex digits`);
    }
    if (algoHint !== undefined && algoHint !== 'ethash' && algoHint !== 'etchash') {
      throw new LodeError('protocol', `job algo "${algoHint}" is neither "ethash" nor "etchash"`);
    }
    const work = this.workOfSeed(Buffer.from(seedHash, 'hex'), algoHint);
    if (work === undefined) {
      throw new LodeError(
        'protocol',
        algoHint === 'etchash'
          ? `seed hash ${seedHash} is the seed of no ETChash epoch (ETChash seeds are those of even ethash epochs)`
          : `seed hash ${seedHash} is the seed of no epoch (keccak256^e of 32 zero bytes, e up to 65278)`,
      );
    }
    return work;
  }
}
