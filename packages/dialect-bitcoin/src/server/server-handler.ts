import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LodeLogger } from '@lode/stratum-core';
import type { AuthorizeRequest, SubmitRequest, SubscribeRequest, SubscribeResult } from '../messages';

/**
 * What a BitcoinServerSession asks of the pool (or proxy) behind it. The
 * session has already validated every request it passes on; the handler
 * decides. A handler that throws gets its request answered with error 20
 * (or the `code` of a LodeError it threw), never left unanswered.
 */
export interface BitcoinServerHandler {
  /**
   * A miner subscribes (once per connection). Return the extranonce1 and
   * extranonce2 size for this connection and a session id; `req.sessionId`
   * is the id of an earlier session the miner asks to resume.
   * `sendDifficulty`/`sendNotify` may be called from inside: they go out
   * right after the subscribe reply (facts/bitcoin-stratum.md "Message flow").
   */
  subscribe(req: SubscribeRequest): Promise<SubscribeResult>;
  /** A worker asks to be authorized; false refuses it with error 24. Several workers per connection are allowed. */
  authorize(req: AuthorizeRequest): Promise<boolean>;
  /**
   * A share from a subscribed connection and an authorized worker, with
   * extranonce2 of the right length and ntime, nonce and version bits read
   * as uint32. The verdict becomes `true` or the error from `rejectionToError`.
   */
  submit(req: SubmitRequest): Promise<ShareVerdict>;
  /** `mining.suggest_difficulty`: a share difficulty (fractions allowed), already checked finite and > 0. */
  suggestDifficulty?(difficulty: number): void;
  /** `mining.extranonce.subscribe`: the miner accepts `mining.set_extranonce` from now on. */
  extranonceSubscribe?(): void;
  /** The connection closed, by either side; called once. */
  closed?(info: CloseInfo): void;
}

/** Options of a BitcoinServerSession. */
export interface BitcoinServerSessionOptions {
  logger?: LodeLogger;
  /**
   * The BIP 310 seam: whether a 6th `mining.submit` parameter (version bits)
   * is accepted right now, i.e. version rolling was negotiated through
   * mining.configure or the port allows it without (field-notes.md §3(c)
   * rule 5, Antminer S21 behind MiningRigRentals). Default: never.
   */
  allowVersionBits?: () => boolean;
  /** Most workers one connection may authorize; default 256. */
  maxWorkers?: number;
  /**
   * Most requests waiting for their reply (they are answered in arrival
   * order); one more closes the connection with a logged reason. Default 128.
   */
  maxPendingRequests?: number;
  /**
   * Most server messages held back until the subscribe reply is written; one
   * more closes the connection. A clean notify replaces the jobs and
   * difficulties queued before it. Default 64.
   */
  maxQueuedBeforeSubscribe?: number;
}
