import type { MinerSession, SubscribeResult } from '@lode/pool-engine';
import type { Subscription } from './subscription';

/** A miner session opened on an upstream subscription ({@link UpstreamGroup.openSession}). */
export interface OpenedSession {
  /** the subscription whose engine holds the session */
  subscription: Subscription;
  /** the engine session, subscribed (its extranonce1 = upstream extranonce1 ‖ suffix) */
  session: MinerSession;
  /** what the session's subscribe answered */
  result: SubscribeResult;
}
