import { difficultyFromTarget } from '@lode/mining';
import type { ShareRejectReason } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import type { MinerInfo } from '../sessions/miner-info';
import { HashrateWindow } from './hashrate-window';
import type { PoolStatsTotals } from './pool-stats-totals';
import type { StatsSnapshot } from './stats-snapshot';
import type { WorkerStatsEntry } from './worker-stats-entry';
import type { WorkerStatsOptions } from './worker-stats-options';

interface Tally {
  accepted: number;
  creditedDifficulty: number;
  rejected: Partial<Record<ShareRejectReason, number>>;
  rejectedTotal: number;
  lastShareTime: number;
  /** time of the first accepted share, ms; 0 before it */
  firstShareTime: number;
  window: HashrateWindow;
  /** the last BIP 310 info seen for the worker */
  info?: MinerInfo;
}

/**
 * Share statistics per worker and for the pool: accepted count, credited
 * difficulty, rejections by reason, last share time, and hashrate estimated
 * over a sliding window; per worker also the device info its session gave
 * (BIP 310 `info`, {@link WorkerStats.setInfo}).
 *
 * hashrate (H/s) = sum(credited difficulty in window) * H1 / windowSeconds,
 * where H1 = 2^256 / (diff1Target + 1) is the expected number of hashes per
 * difficulty-1 share (Bitcoin: 2^48 / 65535 ≈ 2^32, facts/bitcoin-stratum.md
 * "Targets"). A worker that started inside the window is measured over its
 * own age instead (at least one bucket). Memory is bounded: fixed buckets per
 * worker and at most `maxWorkers` workers.
 */
export class WorkerStats {
  /** expected hashes per difficulty-1 share, 2^256 / (diff1Target + 1) */
  readonly hashesPerDifficulty: number;
  /** the hashrate window, seconds */
  readonly windowSeconds: number;
  private readonly bucketMs: number;
  private readonly buckets: number;
  private readonly maxWorkers: number;
  private readonly workers = new Map<string, Tally>();
  private readonly pool: Tally;

  /** @throws LodeError('config') on a diff1Target <= 0 or a non-positive window/bucket/maxWorkers */
  constructor(options: WorkerStatsOptions) {
    if (options.diff1Target <= 0n) {
      throw new LodeError('config', `diff1Target must be > 0, got ${options.diff1Target}`);
    }
    const bucketSeconds = options.bucketSeconds ?? 10;
    const windowSeconds = options.windowSeconds ?? 600;
    this.maxWorkers = options.maxWorkers ?? 100000;
    if (!(bucketSeconds > 0) || !(windowSeconds > 0) || !Number.isInteger(this.maxWorkers) || this.maxWorkers < 1) {
      throw new LodeError(
        'config',
        `stats need bucketSeconds > 0, windowSeconds > 0 and an integer maxWorkers >= 1, got ${bucketSeconds}, ${windowSeconds}, ${this.maxWorkers}`,
      );
    }
    this.buckets = Math.ceil(windowSeconds / bucketSeconds);
    this.bucketMs = bucketSeconds * 1000;
    this.windowSeconds = this.buckets * bucketSeconds;
    this.hashesPerDifficulty = difficultyFromTarget(options.diff1Target + 1n, 1n << 256n);
    this.pool = this.newTally();
  }

  /**
   * Counts one share.
   *
   * @param worker worker name; undefined counts in the pool totals only
   *   (shares from names that were never authorized)
   * @param verdict 'accepted' or the rejection reason
   * @param creditedDifficulty difficulty credited (ignored when rejected)
   * @param time when, ms since epoch
   */
  record(
    worker: string | undefined,
    verdict: 'accepted' | ShareRejectReason,
    creditedDifficulty: number,
    time: number,
  ): void {
    const tallies = [this.pool];
    if (worker !== undefined) tallies.push(this.workerTally(worker));
    for (const t of tallies) {
      t.lastShareTime = Math.max(t.lastShareTime, time);
      if (verdict === 'accepted') {
        t.accepted++;
        t.creditedDifficulty += creditedDifficulty;
        if (t.firstShareTime === 0) t.firstShareTime = time;
        t.window.add(time, creditedDifficulty);
      } else {
        t.rejected[verdict] = (t.rejected[verdict] ?? 0) + 1;
        t.rejectedTotal++;
      }
    }
  }

  /**
   * Attaches what a miner told about its device (BIP 310 `info`) to a
   * worker, replacing what was attached before. A worker not in the table
   * yet gets an entry without shares (it counts as activity for the
   * least-recently-active eviction, as a share does).
   *
   * @param worker worker name as authorized
   * @param info the session's info (copied)
   */
  setInfo(worker: string, info: MinerInfo): void {
    this.workerTally(worker).info = { ...info };
  }

  /** A copy of the figures at `now` (ms since epoch, default Date.now()). */
  snapshot(now: number = Date.now()): StatsSnapshot {
    const workers: WorkerStatsEntry[] = [];
    for (const [worker, t] of this.workers) {
      workers.push({
        worker,
        accepted: t.accepted,
        creditedDifficulty: t.creditedDifficulty,
        rejected: { ...t.rejected },
        rejectedTotal: t.rejectedTotal,
        lastShareTime: t.lastShareTime,
        hashrate: this.hashrate(t, now),
        ...(t.info === undefined ? {} : { info: { ...t.info } }),
      });
    }
    const pool: PoolStatsTotals = {
      accepted: this.pool.accepted,
      creditedDifficulty: this.pool.creditedDifficulty,
      rejected: { ...this.pool.rejected },
      rejectedTotal: this.pool.rejectedTotal,
      hashrate: this.hashrate(this.pool, now),
      workers: this.workers.size,
    };
    return { time: now, windowSeconds: this.windowSeconds, pool, workers };
  }

  private workerTally(worker: string): Tally {
    let tally = this.workers.get(worker);
    if (tally === undefined) {
      tally = this.newTally();
    } else {
      // Re-inserting keeps the map ordered by last activity, so eviction takes the idlest.
      this.workers.delete(worker);
    }
    this.workers.set(worker, tally);
    if (this.workers.size > this.maxWorkers) {
      this.workers.delete(this.workers.keys().next().value as string);
    }
    return tally;
  }

  private hashrate(tally: Tally, now: number): number {
    // A worker younger than the window is measured over its own age (at least
    // one bucket), not diluted over a window it was not there for.
    const ageSeconds = tally.firstShareTime === 0 ? this.windowSeconds : (now - tally.firstShareTime) / 1000;
    const seconds = Math.min(this.windowSeconds, Math.max(ageSeconds, this.bucketMs / 1000));
    return (tally.window.sum(now) * this.hashesPerDifficulty) / seconds;
  }

  private newTally(): Tally {
    return {
      accepted: 0,
      creditedDifficulty: 0,
      rejected: {},
      rejectedTotal: 0,
      lastShareTime: 0,
      firstShareTime: 0,
      window: new HashrateWindow(this.bucketMs, this.buckets),
    };
  }
}
