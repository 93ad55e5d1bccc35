import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LodeLogger, MalformedMessage } from '@lode/stratum-core';
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
  /**
   * A malformed message from the miner (for a ban list and logs). Called
   * synchronously, once per malformed message, answered or not (right after
   * its error reply is written); never for a share rejection (20..25: low
   * difficulty, stale, duplicate, bad extranonce2/ntime/nonce, unknown job,
   * unauthorized worker, submit before subscribe), a refused authorize or an
   * internal error. A throw is logged at error and ignored. Exactly the
   * messages answered with a JSON-RPC 2.0 §5.1 code (facts/warthog.md §7
   * "responses"; errors.ts):
   * - `overlong`: a line over the transport's length cap (answered -32600
   *   with id null, then the transport closes); no method;
   * - `not-json`: a line that is not JSON (-32700); no method;
   * - `not-request`: JSON that is not a valid request (-32600; `method` when
   *   the line named one as a string), or a second `mining.subscribe`
   *   ("already subscribed", -32600, method set). A response to no request
   *   of ours is dropped without a reply and is not malformed;
   * - `unknown-method`: a request for a method this dialect does not know
   *   (-32601; method: the name, at most 64 characters);
   * - `bad-params`: a known method with wrong params (-32602, method set).
   * `reason` is the error reply's message. A LodeError thrown by this
   * handler with one of those codes is reported as that kind. Never
   * `notification`: the miner's notifications are accepted or ignored,
   * never counted as errors (a refused `mining.suggest_difficulty`
   * notification included).
   *
   * @see stratum-core MalformedMessage; JSON-RPC 2.0 §5.1; field-notes.md §6 "Robustness"
   */
  malformed?(message: MalformedMessage): void;
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
