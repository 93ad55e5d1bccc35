import type { EthMiningSet } from '../messages/mining-set';

/** The four values a job runs under, as the server last told them. */
export interface EthSetValues {
  epoch: number;
  target: bigint;
  algo: string;
  extranonce: Buffer;
}

/**
 * Remembers the `mining.set` values last sent on this connection and tells
 * which changed: all four on the first job of the connection ("on each new
 * session the server MUST pass all four members"), then only the changed
 * ones (specs/003_fafafa51dc5fa36a.txt "Prepare for mining").
 */
export class MiningSetTracker {
  private last: EthSetValues | undefined;

  /**
   * The members to send before a job running under `next`, and records them
   * as sent. Empty when nothing changed.
   */
  diff(next: EthSetValues): EthMiningSet {
    const last = this.last;
    this.last = { ...next, extranonce: Buffer.from(next.extranonce) };
    if (last === undefined) return { ...this.last, extranonce: Buffer.from(next.extranonce) };
    const changed: EthMiningSet = {};
    if (next.epoch !== last.epoch) changed.epoch = next.epoch;
    if (next.target !== last.target) changed.target = next.target;
    if (next.algo !== last.algo) changed.algo = next.algo;
    if (!next.extranonce.equals(last.extranonce)) changed.extranonce = Buffer.from(next.extranonce);
    return changed;
  }
}
