import type { CoinNode, CoinPlugin } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { EngineMetrics } from './engine-metrics';
import type { PoolEngineOptions } from './pool-engine-options';
import type { DuplicateIndex } from './ports/duplicate-index';
import type { ExtranonceLeases } from './ports/extranonce-leases';
import type { SessionStore } from './stores/session-store';
import type { ShareStore } from './stores/share-store';

/** What a {@link PoolEngine} is built from: one coin, its node, the ports and the options. */
export interface PoolEngineConfig {
  /** the coin's plugin */
  plugin: CoinPlugin;
  /**
   * the coin's node client (plugin.createNode); with several instances, the
   * TemplateBus's `wrap(coin, node)` of it, so that jobs carry the bus's ids
   */
  node: CoinNode;
  /** the coin's validated config section, passed to plugin.createJob */
  coinConfig: Record<string, unknown>;
  /** where every share verdict is recorded; a share is answered accepted only once its record() resolved */
  shareStore: ShareStore;
  /** where closed sessions are kept for resume */
  sessionStore: SessionStore;
  /**
   * this pool instance's id: 1 to 64 characters of [A-Za-z0-9._-] (default 8
   * random hex digits). Written into every ShareRecord (`instance`, and `id`
   * = "<instanceId>:<sequence>" with a per-process counter) and given to the
   * ExtranonceLeases. It must be unique among running instances AND not
   * reused by a restarted process, since the counter starts again at 1 and a
   * share log deduplicates records by id: leave the default unless you derive
   * it from something unique per run.
   */
  instanceId?: string;
  /**
   * cluster-wide duplicate detection (default: a new MemoryDuplicateIndex,
   * bounded by `options.duplicatesPerHeight`); store-redis provides a shared one
   */
  duplicateIndex?: DuplicateIndex;
  /**
   * extranonce1 uniqueness across instances (default none: one instance,
   * `options.instancePrefix` or no prefix). With it, start() takes a prefix
   * of `options.extranoncePrefixBytes` bytes and stop() gives it back, and
   * every extranonce1 of a live session is claimed through it.
   */
  extranonceLeases?: ExtranonceLeases;
  /** logger (default silent) */
  logger?: LodeLogger;
  /** tuning */
  options?: PoolEngineOptions;
  /**
   * observer of share verdicts, validation and fan-out latency, difficulty
   * changes, block submissions, node calls and sessions (default none); an
   * app implements it with its metrics library (issue 10)
   */
  metrics?: EngineMetrics;
  /** clock in ms since epoch (default Date.now); tests pass their own */
  clock?: () => number;
}
