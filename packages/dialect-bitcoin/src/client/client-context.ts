import type { ExtranonceUpdate, NotifyParams, ReconnectRequest, SubscribeResult } from '../messages';

/**
 * One job as the miner should work it: the notify's params bound to the
 * difficulty that was in effect when it arrived (cgminer's `next_diff`
 * semantics: a set_difficulty applies to jobs notified after it, never to
 * work already under way).
 *
 * @see DESIGN.md "Difficulty belongs to the job"; specs/000_f8fc60f969bbc43e.txt
 */
export interface ClientJob {
  params: NotifyParams;
  /** share difficulty for this job (not a target); 1 until the pool sets one */
  difficulty: number;
  /** when the notify arrived, ms since the Unix epoch */
  receivedAt: number;
  /**
   * BIP 310: the version mask (uint32) in force when the job arrived (a
   * pool sends `mining.set_version_mask` before the notify it concerns);
   * absent when version rolling was not negotiated. The session's
   * `versionMask` is the one to roll under: a later set_version_mask is valid at once.
   */
  versionMask?: number;
}

/** A client session's mutable state, shared by its method handlers. */
export interface ClientSessionState {
  /** the difficulty staged for the next job: reset to 1 on subscribe, set by set_difficulty */
  difficulty: number;
  subscription?: SubscribeResult;
  /** the BIP 310 version mask (uint32) the miner may roll under; undefined until negotiated through mining.configure */
  versionMask?: number;
}

/** What one client method handler gets. */
export interface ClientMethodContext {
  readonly state: ClientSessionState;
  readonly userAgent: string;
  readonly now: () => number;
  readonly emitJob: (job: ClientJob) => void;
  readonly emitExtranonce: (update: ExtranonceUpdate) => void;
  readonly emitReconnect: (req: ReconnectRequest) => void;
  readonly emitMessage: (text: string) => void;
  readonly emitVersionMask: (mask: number) => void;
}

/**
 * Handles one pool message. Returns the result to answer with when the
 * pool sent it as a request (with an id); throws LodeError('protocol') when
 * the params are malformed, which the session counts and logs.
 */
export type ClientMethodHandler = (ctx: ClientMethodContext, params: unknown[]) => unknown;
