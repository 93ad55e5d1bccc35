import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LodeLogger, MalformedMessage, RpcErrorBody } from '@lode/stratum-core';
import type { Observable } from 'rxjs';

/**
 * The Ethereum dialects older than EthereumStratum/2.0.0, which almost every
 * ethash miner in use speaks (facts/ethash.md §1.5):
 *
 * - `es1`: NiceHash EthereumStratum/1.0.0 ("stratum2", facts/ethash.md §1.2);
 * - `ethproxy`: EthProxy ("stratum1", `eth_submitLogin`, §1.1);
 * - `plain`: plain stratum as ethminer's mode 0 defines it ("stratum", §1.4).
 */
export type EthClassicDialect = 'es1' | 'ethproxy' | 'plain';

/** Every Ethereum dialect a Lode port tells apart by the first message: `es2` is EthereumStratum/2.0.0 (EIP-1571). */
export type EthDialect = 'es2' | EthClassicDialect;

/** The method name under which EthProxy's pushed work (`{"id":0,"result":[...]}`) travels through an RpcPeer; not on the wire. */
export const ETHPROXY_PUSH_METHOD = 'eth_pushWork';

/** A miner's subscribe (ES1, plain) or login (EthProxy: the session starts at `eth_submitLogin`). */
export interface EthClassicSubscribeRequest {
  dialect: EthClassicDialect;
  /** ES1: `params[0]` of mining.subscribe ("EthereumMiner/1.0.0"); plain: its first param when a string; EthProxy: "" */
  userAgent: string;
}

/** The pool's answer to a subscribe or login. */
export interface EthClassicSubscribeResult {
  /** ES1: the reply's `result[0][1]` (printable, 1..64 characters); the others do not send it */
  sessionId: string;
  /**
   * ES1: the session's extranonce, 1..3 bytes (spec: at most 3; sent as
   * `result[1]`); EthProxy and plain: ignored (the miner picks all 8 nonce bytes)
   */
  extranonce: Buffer;
}

/** `mining.authorize [name, password]` (ES1, plain) or the login's wallet and worker (EthProxy). */
export interface EthClassicAuthorizeRequest {
  /** ES1/plain: as sent; EthProxy: `<wallet>.<worker>` when a top-level `"worker"` is given and the wallet has no dot, else the wallet */
  workerName: string;
  /** any string, possibly empty; EthProxy: the optional 2nd login param */
  password: string;
}

/** A share, its sizes checked by the dialect. */
export interface EthClassicSubmitRequest {
  workerName: string;
  /** ES1/plain: as sent; EthProxy: the id of the job this session sent with that header hash */
  jobId: string;
  /** ES1: the extranonce the job was sent with; EthProxy and plain: empty (the miner chose the whole nonce) */
  extranonce: Buffer;
  /** ES1: the 8 - extranonce.length bytes the miner sent; EthProxy and plain: the full 8 bytes */
  minerNonce: Buffer;
  /** the full 8-byte nonce, big-endian as printed (ES1: extranonce ‖ miner nonce) */
  nonce: Buffer;
  /** EthProxy and plain: the 32-byte mix digest the miner sent (checked cheaply first, PowClaim); ES1: absent */
  mixDigest?: Buffer;
}

/** A hashrate report (`eth_submitHashrate [hashrate, id]`; ES1 miners send it too). */
export interface EthClassicHashrateRequest {
  workerName: string;
  /** hashes per second */
  hashrate: bigint;
  /** the miner's id as sent (32 bytes hex), for logs */
  id: string;
}

/**
 * What an ES1, EthProxy or plain server session asks of the pool behind it.
 * Requests reach it validated. A handler that throws gets the request
 * answered with the dialect's "internal error" reply, never left unanswered.
 */
export interface EthClassicServerHandler {
  /** once per connection: ES1/plain at mining.subscribe, EthProxy at the first eth_submitLogin */
  subscribe(req: EthClassicSubscribeRequest): Promise<EthClassicSubscribeResult>;
  /** false refuses the worker: error 24 "Unauthorized worker" (ES1/plain as the triple with `"result":null`, EthProxy as an object) */
  authorize(req: EthClassicAuthorizeRequest): Promise<boolean>;
  /** a share; accepted (stale or not) answers `true`, a rejection the dialect's error for its reason */
  submit(req: EthClassicSubmitRequest): Promise<ShareVerdict>;
  /** a hashrate report (answered `true` whatever this does) */
  hashrate?(req: EthClassicHashrateRequest): void;
  /** the connection closed, by either side; called once */
  closed?(info: CloseInfo): void;
  /**
   * A malformed message from the miner (for a ban list and logs). Called
   * synchronously, once per malformed message, answered or not (right after
   * its error reply is written, before it counts toward `maxErrors`).
   * Decided where the session refuses the message, not from the error code:
   * code 20 also answers share rejections (ES1 bad miner nonce size, plain's
   * header that is not its job's, bad-nonce/ntime/version/not-recorded
   * verdicts) and internal errors, which are never reported; nor are 21..25
   * (stale, unknown job, duplicate, low difficulty, unauthorized, refused
   * worker, not subscribed / not logged in) or EthProxy's 0 "Work not ready".
   * A throw is logged at error and ignored.
   * - `overlong` (all three): a line over the transport's length cap (no
   *   reply, the transport closes); reason: the framing error's message;
   * - `not-json` (all three): a line that is not JSON (20 "Malformed request"
   *   with id null in ES1; EthProxy and plain send no reply without an id);
   * - `not-request` (all three): JSON the codec refuses that is not shaped
   *   like a response (`method` when it named one as a string), same replies;
   *   ES1 also a second `mining.subscribe` (20, method set). A line shaped
   *   like a response (an object with `result` or `error` and no `method`;
   *   for EthProxy also one shaped like its work push) is not malformed,
   *   whether the dialect drops it (ES1, id null) or answers it (EthProxy and
   *   plain answer 20 when it has an id);
   * - `unknown-method` (all three): 20 "Unknown method"; method: the name, at most 64 characters;
   * - `bad-params`: a known method's params out of shape, method set: 20
   *   "Malformed request: ..." (ES1 subscribe/authorize/submit/eth_submitHashrate,
   *   including a subscribe for another protocol; EthProxy login/hashrate and
   *   a bad `"worker"` member; plain authorize/submit/hashrate and a bad
   *   `"worker"` member), and EthProxy's -1 "Malformed PoW result" (eth_submitWork);
   * - `notification` (EthProxy and plain): any id-less message (refused and
   *   counted as an error); ES1 ignores them and reports none.
   * `reason` is the error reply's message when there is one.
   *
   * @see stratum-core MalformedMessage; facts/ethash.md §1.1, §1.2, §1.4, §1.6; classic-errors.ts
   */
  malformed?(message: MalformedMessage): void;
}

/**
 * One job as the pool hands it to a classic session. ES1 sends
 * `mining.set_difficulty` (when the difficulty in ES1 units changed) and
 * `mining.set_extranonce` (when changed and the miner sent
 * `mining.extranonce.subscribe`) before `mining.notify`; EthProxy pushes
 * `[header, seed, target, height]` with id 0; plain sends
 * `mining.notify [jobId, header, seed, target]`.
 */
export interface EthClassicServerJob {
  /** 1..64 characters */
  jobId: string;
  /** block number */
  height: number;
  /** the header (seal) hash, 64 hex digits without 0x */
  headerHash: string;
  /** the epoch's seed hash, 64 hex digits without 0x */
  seedHash: string;
  /** true: shares on earlier jobs will be stale */
  clean: boolean;
  /** the share boundary (a 256-bit target, not a difficulty), 1 <= target < 2^256 */
  target: bigint;
  /**
   * "ethash" or "etchash"; anything but "ethash" goes out as a top-level
   * `"algo"` member of the job message (docs/ethstratum.md "ETChash")
   */
  algo: string;
  /** ES1: the session's extranonce for this job (1..3 bytes); ignored by EthProxy and plain */
  extranonce: Buffer;
}

/** Options of the classic server sessions. */
export interface EthClassicServerSessionOptions {
  /** error replies that blame the miner borne before the connection closes; default 16 */
  maxErrors?: number;
  /** most workers one session may authorize; default 256 */
  maxWorkers?: number;
  /** most requests waiting for their reply; one more closes the connection. Default 128 */
  maxPendingRequests?: number;
  logger?: LodeLogger;
}

/** Per-session counters, monotonically increasing; a snapshot. */
export interface EthClassicServerCounters {
  /** requests by method; unknown methods count under "unknown" */
  requests: Record<string, number>;
  /** error replies by code */
  errors: Record<number, number>;
  /** lines that were not valid messages */
  invalidLines: number;
  /** jobs sent */
  jobs: number;
}

/** What the pool port sees of any classic server session (Es1ServerSession, EthProxyServerSession, PlainEthServerSession). */
export interface EthClassicServerSession {
  readonly dialect: EthClassicDialect;
  /** true once the session may get jobs (ES1/plain: subscribed and one worker authorized; EthProxy: logged in) */
  readonly ready: boolean;
  readonly isClosed: boolean;
  readonly counters: EthClassicServerCounters;
  /** emits once when the connection closes, then completes */
  readonly closed$: Observable<CloseInfo>;
  /**
   * Sends a job now when ready, else holds the latest and sends it right
   * after the reply that makes the session ready.
   *
   * @returns true when sent now
   * @throws LodeError('protocol') if the job is out of shape
   */
  sendJob(job: EthClassicServerJob): boolean;
  /** closes the connection with a logged reason */
  close(reason: string): void;
}

/** A job as a classic client session delivers it to the miner. */
export interface EthClassicClientJob {
  /** ES1/plain: as sent; EthProxy: the header hash (it has no job ids) */
  jobId: string;
  /** 64 hex digits, lower case, without 0x */
  headerHash: string;
  /** 64 hex digits, lower case, without 0x */
  seedHash: string;
  /** the share boundary: ES1 from the difficulty in force for this job (diff 1 = 0x00000000ffff << 208), the others as sent */
  target: bigint;
  /** EthProxy's optional 4th element; absent otherwise */
  height?: number;
  clean: boolean;
  /** ES1: the extranonce in force for this job; the others: empty */
  extranonce: Buffer;
  /** the top-level `"algo"` member of the job message, when the pool sent one ("etchash") */
  algo?: string;
  /** Date.now() when it arrived */
  receivedAt: number;
}

/** Options of the classic client sessions. */
export interface EthClassicClientSessionOptions {
  /** ES1: `params[0]` of mining.subscribe ("lode-miner/0.1.0") */
  userAgent: string;
  /** `<wallet>[.<worker>]` */
  workerName: string;
  password?: string;
  /** how long a request waits for its reply, ms; default 30000 */
  requestTimeoutMs?: number;
  logger?: LodeLogger;
}

/** How the pool answered a share. */
export type EthClassicSubmitOutcome = { accepted: true } | { accepted: false; error: RpcErrorBody };

/** What the miner sees of any classic client session (Es1ClientSession, EthProxyClientSession, PlainEthClientSession). */
export interface EthClassicClientSession {
  readonly dialect: EthClassicDialect;
  /** jobs as they arrive (EthProxy: also the eth_getWork reply after login) */
  readonly jobs$: Observable<EthClassicClientJob>;
  /** emits once when the connection closes, then completes */
  readonly closed$: Observable<CloseInfo>;
  /**
   * The handshake: ES1 subscribe (checks the echoed protocol), extranonce.subscribe and authorize;
   * EthProxy eth_submitLogin then eth_getWork; plain subscribe and authorize.
   *
   * @returns the extranonce (ES1) or an empty Buffer
   * @throws LodeError('protocol') when the pool refuses or answers out of shape; LodeError('connection') on close or timeout
   */
  start(): Promise<{ extranonce: Buffer }>;
  /**
   * Submits a share: ES1 `[worker, jobId, minerNonce]` (the nonce minus the
   * job's extranonce); EthProxy `eth_submitWork ["0x"+nonce, "0x"+header, "0x"+mix]`;
   * plain `[worker, jobId, "0x"+nonce, "0x"+header, "0x"+mix]`.
   *
   * @param nonce the full 8 bytes, big-endian
   * @param mixDigest 32 bytes (ES1 does not send it)
   * @throws LodeError('connection') when the connection closes or the reply times out
   */
  submit(job: EthClassicClientJob, nonce: Buffer, mixDigest: Buffer): Promise<EthClassicSubmitOutcome>;
  /** `eth_submitHashrate ["0x"+32-byte hashrate, "0x"+32-byte id]`; resolves when answered, never throws for a refusal */
  reportHashrate(hashrate: bigint): Promise<void>;
  close(reason: string): void;
}
