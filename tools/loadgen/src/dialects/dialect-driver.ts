import type { ShareKind } from '../mix/share-kind';

/** The dialects the load generator speaks. */
export type DialectName = 'bitcoin' | 'warthog' | 'es2';

/** Every dialect name, for option parsing. */
export const DIALECT_NAMES: readonly DialectName[] = Object.freeze(['bitcoin', 'warthog', 'es2']);

/**
 * Why the pool refused a request, told apart across dialects (each driver
 * maps its own error codes and messages onto these):
 *
 * - `low-difficulty`: the hash does not meet the share target (Stratum v1 23, ES2 406)
 * - `duplicate`: the share was submitted before (Stratum v1 22, ES2 409)
 * - `stale`: the job was superseded by a new block (Stratum v1 21, ES2 410)
 * - `unknown-job`: the pool does not know (or no longer knows) the job id (Lode: Stratum v1 20 "job … is not one of the session's current jobs", ES2 404)
 * - `bad-request`: not JSON, not a request, unknown method or wrong params (-32700, -32600, -32601, -32602; ES2 400, 405, 414)
 * - `unauthorized`, `not-subscribed`: Stratum v1 24, 25; ES2 301/303, 302
 * - `other`: anything else (Stratum v1 20 with another message, 5xx, a `false` result)
 */
export type RejectReason = 'low-difficulty' | 'duplicate' | 'stale' | 'unknown-job' | 'bad-request' | 'unauthorized' | 'not-subscribed' | 'other';

/** Every reject reason, in report order. */
export const REJECT_REASONS: readonly RejectReason[] = Object.freeze([
  'low-difficulty',
  'duplicate',
  'stale',
  'unknown-job',
  'bad-request',
  'unauthorized',
  'not-subscribed',
  'other',
]);

/** A reply of the pool to one request, as a driver reads it. */
export interface PoolReply {
  /** performance.now() when its line was read, ms */
  at: number;
  /** the pool said yes (Stratum v1: no error and a result that is not false or null; ES2: no error, or a 2xx code) */
  ok: boolean;
  /** the `result` member as sent (undefined when absent) */
  result: unknown;
  /** the error code when the pool said no and gave one */
  code?: number;
  /** the error message when the pool said no ("" when none) */
  message?: string;
}

/** A job as the load generator tracks it: enough to tell whether a verdict on it raced a new block. */
export interface JobRef {
  /** the pool's job id, as sent */
  readonly id: string;
  /** set once a clean-jobs notify arrived after this job */
  superseded: boolean;
}

/** One share a dialect session made, ready for the wire. */
export interface PreparedShare {
  kind: ShareKind;
  method: string;
  /** the request's params (an array, or an object for ES2's hello) */
  params: unknown;
  /** the job the share is for, when there is one */
  job?: JobRef;
  /** write a line that is not JSON (a malformed share) instead of the request */
  broken?: boolean;
}

/** A share kind that cannot be made right now, and why (counted as skipped). */
export interface SkippedShare {
  skip: string;
}

/** The session core's side, as a dialect session sees it. */
export interface SessionChannel {
  /** session number, from 0 */
  readonly index: number;
  /** the worker name this session authorizes (`<user>.<index>`) */
  readonly worker: string;
  readonly password: string;
  /** how long a reply (and the first job) may take, ms */
  readonly replyTimeoutMs: number;
  /**
   * Sends a request and resolves with the pool's reply (ok or not).
   *
   * @throws Error (rejects) when no reply came within replyTimeoutMs or the connection closed
   */
  request(method: string, params: unknown): Promise<PoolReply>;
  /** Answers a request the pool sent (client.get_version). */
  respond(id: unknown, result: unknown, error: unknown): void;
  /** Tells the core that a clean-jobs notify arrived: verdicts waiting for one are judged now. */
  cleanJob(): void;
}

/** What a driver needs to size its share supply. */
export interface DriverSessionOptions {
  /** shares per second this session sends (all kinds) */
  sharesPerSecond: number;
  /** fraction of those that are valid, 0..1 */
  validFraction: number;
  /** negotiate BIP 310 version rolling (Bitcoin only) */
  versionRolling: boolean;
}

/** The dialect half of one simulated miner: handshake, jobs, shares, reply reading. */
export interface DialectSession {
  /**
   * The handshake: resolves once the session is authorized and holds its first job.
   *
   * @throws Error when the pool refuses a step, a reply is missing or no job comes within replyTimeoutMs
   */
  start(): Promise<void>;
  /**
   * Makes the next share of `kind` (scanning nonces when it needs to).
   *
   * @returns the share, or why it cannot be made now (no job superseded yet, no share accepted yet, ...)
   */
  make(kind: ShareKind): PreparedShare | SkippedShare | Promise<PreparedShare | SkippedShare>;
  /** A line from the pool that is not a reply: a notification, or a request to the miner. */
  onMessage(method: string, params: unknown, id: unknown): void;
  /** Reads a reply object (a line without `method`). */
  readReply(message: Record<string, unknown>, at: number): PoolReply;
  /** The reason of a refusal (a reply with ok false). */
  reasonOf(reply: PoolReply): RejectReason;
  /** A share of this session was accepted: it may come back as a duplicate. */
  accepted(share: PreparedShare): void;
}

/** A dialect: which share kinds it can make, and a factory of sessions. */
export interface DialectDriver {
  readonly name: DialectName;
  /** human name, e.g. "Bitcoin stratum V1" */
  readonly title: string;
  /** the share kinds its sessions can make */
  readonly kinds: ReadonlySet<ShareKind>;
  /** largest request id the dialect allows (EIP-1571: 65535); ids wrap around below it */
  readonly maxRequestId: number;
  createSession(channel: SessionChannel, options: DriverSessionOptions): DialectSession;
}
