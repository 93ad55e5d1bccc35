import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LodeLogger } from '@lode/stratum-core';
import type {
  WarthogAuthorizeRequest,
  WarthogSubmitRequest,
  WarthogSubscribeRequest,
  WarthogSubscribeResult,
} from '../messages';

/**
 * What a WarthogServerSession asks of the pool (or proxy) behind it. The
 * session has already validated every request it passes on; the handler
 * decides. A handler that throws gets its request answered with error 20
 * (or the `code` of a LodeError it threw), never left unanswered.
 */
export interface WarthogServerHandler {
  /**
   * A miner subscribes (once per connection). Return the extranonce1, the
   * extranonce2 size (together exactly 10 bytes: 4 + 6 is what the node and
   * janusminer use) and a session id; `req.sessionId` is the id of an earlier
   * session the miner asks to resume. `sendDifficulty`/`sendNotify` may be
   * called from inside: they go out right after the subscribe reply.
   */
  subscribe(req: WarthogSubscribeRequest): WarthogSubscribeResult | Promise<WarthogSubscribeResult>;
  /**
   * A worker asks to be authorized ("address.worker" by convention); false
   * refuses it with error 24. Several workers per connection are allowed;
   * 4-parameter submits are credited to the one authorized last.
   */
  authorize(req: WarthogAuthorizeRequest): boolean | Promise<boolean>;
  /**
   * A share from a subscribed connection and an authorized worker, with
   * extranonce2 of the subscribed size and ntime and nonce read as uint32
   * big-endian (the header bytes in order). The verdict becomes `true` or the
   * error from `rejectionToError` (stale 21, duplicate 22, low difficulty 23...).
   */
  submit(req: WarthogSubmitRequest): ShareVerdict | Promise<ShareVerdict>;
  /** `mining.suggest_difficulty`: a share difficulty (fractions allowed), already checked finite and > 0. */
  suggestDifficulty?(difficulty: number): void;
  /** The miner sent `mining.extranonce.subscribe` (once per connection; answered true). */
  extranonceSubscribe?(): void;
  /** The connection closed, by either side; called once. */
  closed?(info: CloseInfo): void;
}

/** Options of a WarthogServerSession. */
export interface WarthogServerSessionOptions {
  logger?: LodeLogger;
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
