import type { WarthogNotifyParams, WarthogReconnect, WarthogSubscribeResult } from '../messages';

/**
 * One job as the miner should work it: the notify's params bound to the
 * difficulty staged when it arrived. A `mining.set_difficulty` applies to the
 * next notify, never to work already under way.
 *
 * Warthog's share target is 1/difficulty, no 2^32 (facts/warthog.md §3);
 * janusminer builds it as `TargetV2(difficulty)`, which counts a difficulty
 * below 1 as 1.
 *
 * @see DESIGN.md "Difficulty belongs to the job"; specs/000_f8fc60f969bbc43e.txt
 */
export interface WarthogClientJob {
  params: WarthogNotifyParams;
  /** share difficulty for this job (not a target); 1 until the pool sets one */
  difficulty: number;
  /** when the notify arrived, ms since the Unix epoch */
  receivedAt: number;
}

/** A client session's mutable state, shared by its method handlers. */
export interface ClientSessionState {
  /** the difficulty staged for the next job: reset to 1 on subscribe, set by set_difficulty */
  difficulty: number;
  subscription?: WarthogSubscribeResult;
}

/** What one client method handler gets. */
export interface ClientMethodContext {
  readonly state: ClientSessionState;
  readonly now: () => number;
  readonly emitJob: (job: WarthogClientJob) => void;
  readonly emitReconnect: (req: WarthogReconnect) => void;
}

/**
 * Handles one pool message. Returns the result to answer with when the pool
 * sent it as a request (with an id); throws LodeError('protocol') when the
 * params are malformed, which the session counts and logs.
 */
export type ClientMethodHandler = (ctx: ClientMethodContext, params: unknown[]) => unknown;
