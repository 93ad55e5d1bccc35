import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LodeLogger, MalformedMessage } from '@lode/stratum-core';
import type { ConfigureExtension } from '../configure/configure-extension';
import type { MinerInfo } from '../configure/configure-messages';
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
   * as uint32. When `req.versionBits` is present it already satisfies
   * `versionBits & ~versionMask == 0` and `req.versionMask` is the mask in
   * effect (BIP 310). The verdict becomes `true` or the error from `rejectionToError`.
   */
  submit(req: SubmitRequest): Promise<ShareVerdict>;
  /** `mining.suggest_difficulty`: a share difficulty (fractions allowed), already checked finite and > 0. */
  suggestDifficulty?(difficulty: number): void;
  /**
   * The miner accepts `mining.set_extranonce` from now on
   * (`mining.extranonce.subscribe` or the BIP 310 "subscribe-extranonce"
   * extension). Called once per connection; a throw leaves it unsubscribed.
   */
  extranonceSubscribe?(): void;
  /**
   * BIP 310 "minimum-difficulty": the miner asks that share difficulty (not
   * a target) never go below `value` (>= 0; 0 = no floor). Return `true`
   * when the pool will honour it, or a reason why not: the miner is then
   * answered `false` and the reason is logged. Without this hook the
   * extension is answered false. Called again on each repeat.
   */
  setMinimumDifficulty?(value: number): true | string;
  /** BIP 310 "info": what the miner says about itself (each string at most 256 characters); a repeat replaces it. */
  setInfo?(info: MinerInfo): void;
  /** The connection closed, by either side; called once. */
  closed?(info: CloseInfo): void;
  /**
   * A malformed message from the miner (for a ban list and logs). Called
   * synchronously, once per malformed message, answered or not (right after
   * its error reply is written); never for a share rejection (20..25: low
   * difficulty, stale, duplicate, bad ntime, bad version, unknown job,
   * unauthorized worker, submit before subscribe), a refused authorize or an
   * internal error. A throw is logged at error and ignored. Exactly the
   * messages answered with a JSON-RPC 2.0 §5.1 code:
   * - `overlong`: a line over the transport's length cap (answered -32600
   *   with id null, then the transport closes); no method;
   * - `not-json`: a line that is not JSON (-32700); no method;
   * - `not-request`: JSON that is not a valid request (-32600; `method` when
   *   the line named one as a string), or a second `mining.subscribe`
   *   ("already subscribed", -32600, method set). A response to no request
   *   of ours is dropped without a reply and is not malformed;
   * - `unknown-method`: a request for a method this dialect does not know
   *   (-32601; method: the name, at most 64 characters);
   * - `bad-params`: a known method with wrong params (-32602, method set as
   *   sent, e.g. a 6-param `mining.submit` without version rolling or the
   *   legacy `mining.suggest_difficulty(x)` form with a bad x).
   * `reason` is the error reply's message. A LodeError thrown by this
   * handler with one of those codes is reported as that kind. Never `notification`: the
   * miner's notifications are accepted or ignored, never counted as errors
   * (a refused `mining.suggest_difficulty` notification included).
   *
   * @see stratum-core MalformedMessage; JSON-RPC 2.0 §5.1; field-notes.md §6 "Robustness"
   */
  malformed?(message: MalformedMessage): void;
}

/** Options of a BitcoinServerSession. */
export interface BitcoinServerSessionOptions {
  logger?: LodeLogger;
  /**
   * BIP 310 version rolling on this port; absent = "version-rolling" is
   * answered false and a 6th submit param is refused.
   */
  versionRolling?: VersionRollingOptions;
  /**
   * The BIP 310 extensions `mining.configure` is answered with; default
   * `defaultConfigureExtensions()`. Codes not listed are answered false.
   */
  configureExtensions?: readonly ConfigureExtension[];
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

/**
 * A port's BIP 310 version-rolling policy.
 *
 * @see specs/002_b8c80480aecfabab.txt 'Extension "version-rolling"'; field-notes.md §3(c)
 */
export interface VersionRollingOptions {
  /**
   * The bits miners may roll on this coin, uint32: 0x1fffe000 (BIP 320, the
   * common default), 0x1fffffe0 (BIP 323), minus any consensus bits the
   * coin uses (DigiByte bit 23, Litecoin Cash 0x00ff0000). 0 = refuse.
   */
  serverMask: number;
  /**
   * Accept a 6th `mining.submit` param from miners that never sent
   * `mining.configure` (Antminer S21 behind MiningRigRentals,
   * field-notes.md §3(c) rule 5), checked against
   * `serverMask & ~(version of the last job sent)`. No `set_version_mask`
   * is ever sent to such a miner. Default false.
   */
  allowWithoutConfigure?: boolean;
}
