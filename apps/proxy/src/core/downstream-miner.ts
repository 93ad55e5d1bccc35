import type { Subscription } from './subscription';
import type { UpstreamGroup } from './upstream-group';

/**
 * One downstream miner connection as the {@link Router} sees it. Each
 * dialect's port implements it for its connections.
 */
export interface DownstreamMiner {
  /** the connection id (unique within the process), for logs and the stats API */
  readonly id: string;
  /**
   * true when the miner takes a new extranonce without reconnecting
   * (bitcoin: it sent `mining.extranonce.subscribe` or configured BIP 310
   * "subscribe-extranonce"; ethstratum: always, `mining.set`; warthog: never)
   */
  readonly acceptsExtranonceChange: boolean;
  /** the subscription it mines on now; undefined before subscribe */
  readonly subscription: Subscription | undefined;
  /**
   * Moves the miner onto `group`: a new MinerSession there
   * (`group.openSession`, with the miner's subscribe request and workers),
   * then the new extranonce (`mining.set_extranonce` / `mining.set`), the
   * difficulty and a clean job; the old session closes.
   *
   * @throws LodeError('connection') when the group has no room or the
   *   connection closed (the router then sends reconnect)
   */
  moveTo(group: UpstreamGroup): Promise<void>;
  /** Asks the miner to reconnect (`client.reconnect`, or the dialect's way) and closes the connection. */
  reconnect(reason: string): void;
}
