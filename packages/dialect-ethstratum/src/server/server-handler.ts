import type { ShareVerdict } from '@lode/mining';
import type { LodeLogger, MalformedMessage } from '@lode/stratum-core';
import type { EthCloseInfo } from '../close-info';

/**
 * `mining.subscribe` as the pool sees it.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Session Subscription"
 */
export interface EthSubscribeRequest {
  /**
   * the session the miner asks to resume; absent for a new session, and
   * always absent when the port does not offer resume (`resume: false`)
   */
  sessionId?: string;
  /** the `agent` of `mining.hello` */
  userAgent: string;
}

/** The pool's answer to `mining.subscribe`. */
export interface EthSubscribeResult {
  /**
   * the session id sent back: the requested one when `resumed`, else a new
   * one that MUST differ from any id the miner asked for (printable ASCII, 1..64 characters)
   */
  sessionId: string;
  /** the session's extranonce, 0..6 bytes; submits on jobs this connection did not send use it */
  extranonce: Buffer;
  /**
   * on resume, the workers authorized in the originating session, in the
   * order they were authorized: they get the same tokens (`w-1`, `w-2`, ...)
   * as there, and the miner need not authorize them again. Ignored when not resumed.
   */
  workers: string[];
  /** true when the session was found and is resumed (then `sessionId` equals the requested one) */
  resumed: boolean;
}

/** `mining.authorize [name, password]` as the pool sees it. */
export interface EthAuthorizeRequest {
  /** `<account>[.<MachineName>]`, 1..256 characters */
  workerName: string;
  /** any string, possibly empty ("for anonymous mining the password can be any string value or empty but not null") */
  password: string;
}

/**
 * A share from an authorized worker, its miner nonce already checked to be
 * exactly 8 - extranonce bytes.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Solution submission"
 */
export interface EthSubmitRequest {
  /** the worker the token stands for */
  workerName: string;
  jobId: string;
  /** the extranonce in force when this connection sent the job (or the session's, for a job it did not send) */
  extranonce: Buffer;
  /** the bytes the miner sent, 8 - extranonce.length of them */
  minerNonce: Buffer;
  /** the full 8-byte nonce: extranonce followed by the miner nonce (as printed, big-endian) */
  nonce: Buffer;
}

/** A miner's `mining.hashrate [hex, token]` report. */
export interface EthHashrateRequest {
  workerName: string;
  /** hashes per second, as the miner reads it on its devices */
  hashrate: bigint;
}

/**
 * What an EthStratumServerSession asks of the pool behind it. Requests reach
 * it validated; it decides. A handler that throws gets the request answered
 * with 500 "Internal error" (or the `code` of a LodeError it threw), never
 * left unanswered.
 */
export interface EthStratumServerHandler {
  /** A miner starts or resumes a session (once per connection). */
  subscribe(req: EthSubscribeRequest): Promise<EthSubscribeResult>;
  /** A worker asks to be authorized; false refuses it with 303. Several workers per session are allowed. */
  authorize(req: EthAuthorizeRequest): Promise<boolean>;
  /**
   * A share. The verdict becomes `{"id":n}` (accepted), 202 "Stale"
   * (accepted with `stale: true`) or the error of `rejectionToError`.
   */
  submit(req: EthSubmitRequest): Promise<ShareVerdict>;
  /**
   * A worker's hashrate report (already rate-limited). Return the pool's own
   * figure for that worker to answer `["<hex>", token]`, or undefined for the bare ack.
   */
  hashrate?(req: EthHashrateRequest): Promise<bigint | undefined> | bigint | undefined;
  /**
   * The connection closed, by either side; called once. With `bye: true`
   * the session is abandoned: drop it from the resume cache.
   */
  closed?(info: EthCloseInfo): void;
  /**
   * A malformed message from the miner (for a ban list and logs). Called
   * synchronously, once per malformed message, answered or not (right after
   * its error reply is written, before it counts toward `maxErrors`); never
   * for a share rejection (406, 409, 410, 414, 404, 301, and the 400s of
   * bad-ntime / bad-version / malformed verdicts), a refused authorize (303),
   * 302 "Not subscribed", 220, or an internal error (5xx, or a LodeError this
   * handler threw). A throw is logged at error and ignored. Exactly what
   * EIP-1571 answers with 400 "Bad request" or 405, plus what it cannot answer:
   * - `overlong`: a line over the transport's length cap (no reply, the
   *   transport closes); reason: the framing error's message; no method;
   * - `not-json`: a line that is not JSON as received (no reply: no id can
   *   be read; reason: the codec's); with gzip encoding, any base64 line
   *   refused without a readable id;
   * - `not-request`: JSON the EIP-1571 codec refuses (400, or no reply when
   *   its id cannot be read; `method` when it named one as a string), and a
   *   request out of place: a known method before `mining.hello`, a second
   *   hello or subscribe (400, method set). A plain line after gzip was
   *   negotiated (no reply, the connection closes) is `not-request`, or
   *   `not-json` when it is not JSON. A valid response from the miner (it
   *   matches no request of ours: the session sends none) is dropped and not malformed;
   * - `unknown-method`: a method this dialect does not serve (405), or an
   *   unknown method before `mining.hello` (400); method: the name, at most 64 characters;
   * - `bad-params`: 400 to a known method's params (count, types, lengths,
   *   hex numbers, hello members, "Bad protocol request"), method set;
   * - `notification`: an id-less message other than `mining.bye`,
   *   `mining.reconnect` and `mining.noop` (no reply; counted as an error).
   * `reason` is the error reply's message when there is one ("Bad request:
   * mining.submit takes [jobId, minerNonce, workerToken], got 2 parameters").
   *
   * @see stratum-core MalformedMessage; EIP-1571 (specs/003_fafafa51dc5fa36a.txt
   *   "Responses", "Conventions"); facts/ethash.md §1.3; src/errors.ts
   */
  malformed?(message: MalformedMessage): void;
}

/** Options of an EthStratumServerSession. */
export interface EthStratumServerSessionOptions {
  /** the node software version sent in the hello reply ("Geth/v1.13.15-stable/linux-amd64/go1.21.6") */
  node: string;
  /**
   * the encoding the hello reply announces: "plain" (default) or "gzip";
   * with gzip every later line both ways is `gzipLineCodec(eip1571Codec)`
   * and a plain line from the miner closes the connection (spec: MUST close)
   */
  encoding?: 'plain' | 'gzip';
  /** whether this port resumes sessions (hello reply `resume`); default false */
  resume?: boolean;
  /** seconds without a message from the miner before the connection is closed; default 180 (hex "b4" in the reply) */
  timeoutSeconds?: number;
  /** errors borne before the connection is closed (see `countsTowardMaxErrors`); default 5 */
  maxErrors?: number;
  /** shortest interval between two `mining.hashrate` reports of one worker, in ms; default 10000 */
  hashrateMinIntervalMs?: number;
  /** most workers one session may authorize; default 256 */
  maxWorkers?: number;
  /** most requests waiting for their reply (answered in arrival order); one more closes the connection. Default 128 */
  maxPendingRequests?: number;
  /** ms between sending `mining.reconnect` and closing the connection; default 1000 */
  reconnectGraceMs?: number;
  /** clock for the hashrate rate limit, ms; default Date.now */
  now?: () => number;
  logger?: LodeLogger;
}
