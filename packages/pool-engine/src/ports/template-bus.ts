import type { CoinNode } from '@lode/plugin-api';

/**
 * Port: the job bus (issue 4). Wraps a coin's node so that every pool instance
 * mines the same templates: one instance (the lease holder) polls the node and
 * publishes; all instances, the holder included, take templates from the bus.
 * The templates it emits carry `jobId` so every instance gives the same job
 * the same id (and stale rules agree); the holder also republishes the current
 * template every refresh interval, so instances disable their own refresh timer.
 */
export interface TemplateBus {
  /** the node as the engine should use it: templates from the bus, blocks submitted through the real node */
  wrap(coin: string, node: CoinNode): CoinNode;
}
