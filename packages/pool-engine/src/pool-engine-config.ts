import type { CoinNode, CoinPlugin } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { PoolEngineOptions } from './pool-engine-options';
import type { SessionStore } from './stores/session-store';
import type { ShareStore } from './stores/share-store';

/** What a {@link PoolEngine} is built from: one coin, its node, the ports and the options. */
export interface PoolEngineConfig {
  /** the coin's plugin */
  plugin: CoinPlugin;
  /** the coin's node client (plugin.createNode) */
  node: CoinNode;
  /** the coin's validated config section, passed to plugin.createJob */
  coinConfig: Record<string, unknown>;
  /** where every share verdict is recorded */
  shareStore: ShareStore;
  /** where closed sessions are kept for resume */
  sessionStore: SessionStore;
  /** logger (default silent) */
  logger?: LodeLogger;
  /** tuning */
  options?: PoolEngineOptions;
  /** clock in ms since epoch (default Date.now); tests pass their own */
  clock?: () => number;
}
