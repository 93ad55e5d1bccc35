import type { FoundBlock, WorkerStatsEntry } from '@lode/pool-engine';
import type { AccountedBlock, AccountedWorker } from './read-api-sources';

/**
 * One worker in `/api/workers/:coin` and `/api/miners/:coin/:address`, the
 * same shape whether the accounting or an in-memory engine answers.
 * Hashrate is H/s; times are ms since epoch; counts are shares.
 */
export interface WorkerView {
  /** worker name as authorized ("addr.rig1") */
  worker: string;
  /** estimated hashrate over the source's window, H/s */
  hashrate: number;
  /** accepted shares */
  accepted: number;
  /** rejected shares whose reason is "stale" (also counted in `rejected`) */
  stale: number;
  /** every rejected share, stale included */
  rejectedTotal: number;
  /** rejected shares by reason -> count (reasons never seen are absent) */
  rejected: Record<string, number>;
  /** time of the last share, accepted or not; null before any */
  lastShare: number | null;
}

/**
 * A block this instance's engine found, kept in memory for coins no
 * accounting covers (`/api/blocks/:coin`). Time is ms since epoch.
 */
export interface EngineBlockView {
  height: number;
  /** display hex of the block hash */
  hash: string;
  /** worker whose share was the block */
  finder: string;
  /** when the node answered, ms since epoch */
  time: number;
  /** true when the node accepted the block */
  accepted: boolean;
  /** why the node refused it */
  reason?: string;
}

/** A block in a miner's answer: either source's block. */
export type BlockView = AccountedBlock | EngineBlockView;

/**
 * A miner (payout address) in `/api/miners/:coin/:address`: the sum of its
 * workers. Hashrate is H/s, times ms since epoch, amounts decimal strings
 * in the coin's smallest unit.
 */
export interface MinerView {
  coin: string;
  /** the address looked up, as given */
  address: string;
  /** when it was read, ms since epoch */
  time: number;
  /** the hashrate window, seconds */
  windowSeconds: number;
  /** sum of its workers' hashrates, H/s */
  hashrate: number;
  accepted: number;
  stale: number;
  rejectedTotal: number;
  /** reason -> count, summed over its workers */
  rejected: Record<string, number>;
  /** its most recent share, ms since epoch; null before any */
  lastShare: number | null;
  /** its workers, highest hashrate first */
  workers: WorkerView[];
  /** how many of the pool's most recent blocks were looked at (`blocks` query) */
  blocksConsidered: number;
  /** those of them one of its workers found, newest first */
  blocksFound: BlockView[];
  /**
   * its share of the reward of those blocks (sum of their `split` entries
   * for its workers), smallest units; null when no accounting covers the
   * coin. Balances and payouts are not tracked by Lode's accounting.
   */
  credited: string | null;
}

/** A worker of the accounting as a {@link WorkerView}. */
export function workerViewOfAccount(w: AccountedWorker): WorkerView {
  return {
    worker: w.worker,
    hashrate: w.hashrate,
    accepted: w.accepted,
    stale: w.rejected['stale'] ?? 0,
    rejectedTotal: w.rejectedTotal,
    rejected: { ...w.rejected },
    lastShare: w.lastShare > 0 ? w.lastShare : null,
  };
}

/** A worker of an engine's stats snapshot as a {@link WorkerView}. */
export function workerViewOfEntry(w: WorkerStatsEntry): WorkerView {
  const rejected: Record<string, number> = {};
  for (const [reason, count] of Object.entries(w.rejected)) if (count !== undefined) rejected[reason] = count;
  return {
    worker: w.worker,
    hashrate: w.hashrate,
    accepted: w.accepted,
    stale: rejected['stale'] ?? 0,
    rejectedTotal: w.rejectedTotal,
    rejected,
    lastShare: w.lastShareTime > 0 ? w.lastShareTime : null,
  };
}

/** A block an engine emitted, at `time`, as an {@link EngineBlockView}. */
export function engineBlockView(b: FoundBlock, time: number): EngineBlockView {
  return { height: b.height, hash: b.hash, finder: b.worker, time, accepted: b.accepted, ...(b.reason === undefined ? {} : { reason: b.reason }) };
}

/** Highest hashrate first, then by name: the order of every worker list. */
export function byHashrate(a: WorkerView, b: WorkerView): number {
  return b.hashrate - a.hashrate || (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0);
}

/**
 * Whether `worker` belongs to the miner `address`: the worker is named
 * `address` or `address.<rig>` (the usual "<payout address>.<rig name>"
 * login; exact, case-sensitive match of the address part).
 */
export function belongsTo(address: string, worker: string): boolean {
  return worker === address || (worker.startsWith(address) && worker.charAt(address.length) === '.');
}

/**
 * Sums the workers of one miner into a {@link MinerView}.
 *
 * @param workers the miner's workers (already filtered with {@link belongsTo})
 * @param blocks the pool's most recent blocks, newest first
 * @param accounted whether `blocks` carry reward splits (the accounting's)
 */
export function minerView(
  head: { coin: string; address: string; time: number; windowSeconds: number },
  workers: readonly WorkerView[],
  blocks: readonly BlockView[],
  accounted: boolean,
): MinerView {
  const rejected: Record<string, number> = {};
  for (const w of workers) for (const [reason, n] of Object.entries(w.rejected)) rejected[reason] = (rejected[reason] ?? 0) + n;
  const names = new Set(workers.map((w) => w.worker));
  const found = blocks.filter((b) => names.has(b.finder));
  let credited = 0n;
  for (const b of blocks) {
    if (!('split' in b)) continue;
    for (const [worker, amount] of Object.entries(b.split)) {
      if ((names.has(worker) || belongsTo(head.address, worker)) && /^[0-9]+$/.test(amount)) credited += BigInt(amount);
    }
  }
  const lastShare = workers.reduce<number | null>((t, w) => (w.lastShare !== null && (t === null || w.lastShare > t) ? w.lastShare : t), null);
  return {
    ...head,
    hashrate: workers.reduce((n, w) => n + w.hashrate, 0),
    accepted: workers.reduce((n, w) => n + w.accepted, 0),
    stale: workers.reduce((n, w) => n + w.stale, 0),
    rejectedTotal: workers.reduce((n, w) => n + w.rejectedTotal, 0),
    rejected,
    lastShare,
    workers: [...workers].sort(byHashrate),
    blocksConsidered: blocks.length,
    blocksFound: found,
    credited: accounted ? credited.toString() : null,
  };
}
