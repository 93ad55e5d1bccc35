import type { ShareVerdict } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import type { IncomingNotification, IncomingRequest, InvalidLine, RpcErrorBody, RpcPeer } from '@lode/stratum-core';
import type {
  EthClassicServerCounters,
  EthClassicServerHandler,
  EthClassicSubscribeResult,
  EthClassicServerJob,
  EthClassicServerSession,
  EthClassicServerSessionOptions,
} from '../classic/classic-contract';
import { classicCountsTowardMaxErrors, classicError, ClassicErrors, classicRejectionError } from '../classic/classic-errors';
import { ClassicServerBase } from '../classic/classic-server-base';
import type { ClassicReply } from '../classic/classic-server-base';
import type { ReplyMalformedKind } from '../malformed';
import { show } from '../messages/show';
import { JobExtranonces } from '../server/job-extranonces';
import { es1DifficultyFromTarget } from './es1-difficulty';
import { ES1_MAX_EXTRANONCE_BYTES, ES1_NONCE_BYTES, ES1_PROTOCOL, Es1Methods } from './es1-methods';

/** The key under which requests for methods this session does not serve are counted. */
export const ES1_UNKNOWN_METHOD_KEY = 'unknown';

/** How many jobs' extranonces a connection remembers for its submits. */
const JOB_HISTORY = 64;

/** Longest worker name and user agent accepted, in characters. */
const MAX_NAME = 256;

/** The largest 256-bit value. */
const MAX_U256 = (1n << 256n) - 1n;

const HASH_RE = /^[0-9a-fA-F]{64}$/;
const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const PRINTABLE_RE = /^[\x20-\x7e]+$/;
const HASHRATE_RE = /^(?:0x)?[0-9a-fA-F]{1,64}$/;

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  Es1Methods.SUBSCRIBE,
  Es1Methods.EXTRANONCE_SUBSCRIBE,
  Es1Methods.AUTHORIZE,
  Es1Methods.SUBMIT,
  Es1Methods.SUBMIT_HASHRATE,
]);

/** 20 "Malformed request: <detail>", reported to `handler.malformed` as `kind` (default `bad-params`). */
function malformed(detail: string, kind: ReplyMalformedKind = 'bad-params'): ClassicReply {
  return { error: classicError(ClassicErrors.MALFORMED, detail), malformed: kind };
}

/**
 * Checks a job before it goes out; throws LodeError('protocol') naming the field.
 */
function checkJob(job: EthClassicServerJob): void {
  const bad = (what: string): never => {
    throw new LodeError('protocol', `ES1 job ${what}`);
  };
  if (typeof job.jobId !== 'string' || job.jobId.length < 1 || job.jobId.length > 64 || !PRINTABLE_RE.test(job.jobId)) {
    bad(`id ${show(job.jobId)} is not 1..64 printable characters`);
  }
  if (typeof job.seedHash !== 'string' || !HASH_RE.test(job.seedHash)) bad(`seedHash ${show(job.seedHash)} is not 64 hex digits`);
  if (typeof job.headerHash !== 'string' || !HASH_RE.test(job.headerHash)) bad(`headerHash ${show(job.headerHash)} is not 64 hex digits`);
  if (typeof job.clean !== 'boolean') bad(`clean ${show(job.clean)} is not a boolean`);
  if (typeof job.target !== 'bigint' || job.target < 1n || job.target > MAX_U256) bad(`target ${show(job.target)} is not in 1..2^256-1`);
  if (typeof job.algo !== 'string' || job.algo.length === 0) bad(`algo ${show(job.algo)} is not a non-empty string`);
  if (!Buffer.isBuffer(job.extranonce) || job.extranonce.length < 1 || job.extranonce.length > ES1_MAX_EXTRANONCE_BYTES) {
    bad(`extranonce ${show(Buffer.isBuffer(job.extranonce) ? job.extranonce.toString('hex') : job.extranonce)} is not 1..${ES1_MAX_EXTRANONCE_BYTES} bytes`);
  }
}

/**
 * The pool side of one NiceHash EthereumStratum/1.0.0 ("stratum2") connection.
 * Build its peer as `new RpcPeer(transport, classicCodec)`.
 *
 * The miner's requests, each answered once, in arrival order (at most
 * `maxPendingRequests` waiting; one more closes the connection):
 * - `mining.subscribe ["agent", "EthereumStratum/1.0.0"]` ->
 *   `[["mining.notify", sessionId, "EthereumStratum/1.0.0"], extranonceHex]`
 *   (the handler gives both). Another protocol string, fewer than two
 *   params or a second subscribe get error 20.
 * - `mining.extranonce.subscribe` -> `true`; from then on a job whose
 *   extranonce differs from the one the miner knows is preceded by
 *   `mining.set_extranonce [hex]` (it applies to that next job). Without it a
 *   changed extranonce cannot be delivered: the session closes the
 *   connection ("extranonce changed ... reconnect"), the miner reconnects and
 *   gets the new one in its subscribe reply.
 * - `mining.authorize [name, password]` (password may be absent) -> `true`,
 *   or error 24 "Unauthorized worker" when the pool refuses, over
 *   `maxWorkers` workers, or before subscribe 25. (classicCodec writes an
 *   error reply with `"result":null`, not `false`.)
 * - `mining.submit [worker, jobId, minerNonce]`: 25 before subscribe, 24 for
 *   a worker not authorized here, 21 "Job not found" for a job not sent on
 *   this connection (the last 64 remembered), 20 when the miner nonce is not
 *   hex of exactly 8 - extranonce bytes of that job's extranonce (GMiner's
 *   5-byte and ethminer's 8-byte miner nonces, facts/ethash.md §1.2), all
 *   without asking the pool. Otherwise the handler gets nonce = extranonce ‖
 *   minerNonce; accepted (stale or not) answers `true`, a rejection
 *   `classicRejectionError(verdict)`.
 * - `eth_submitHashrate [hashrateHex, idHex]` (ethminer) -> `true` and
 *   `handler.hashrate` (worker: the top-level `"worker"` member when it names
 *   an authorized worker, else the first authorized).
 * - anything else: 20 "Unknown method", counted under `requests.unknown`.
 * - A pool handler that throws (or a subscribe result ES1 cannot send) gets
 *   the request answered by {@link ClassicServerBase}'s `handlerFailure`:
 *   its LodeError's code and message when it carries a code, else 20
 *   "Internal error"; the connection stays.
 *
 * Jobs: nothing before subscribe and one authorized worker; until then
 * `sendJob` keeps the latest job and sends it right after the reply that
 * makes the session ready. `mining.set_difficulty [d]` (ES1 units, diff 1 =
 * 0x00000000ffff << 208) precedes a job only when d changed (always before
 * the first), then `mining.notify [jobId, seedHash, headerHash, clean]`,
 * with a top-level `"algo"` member when the job's algo is not "ethash".
 *
 * Errors go out as the Stratum triple `[code, message, null]`. Lines that
 * are not valid requests get error 20 with the id read from them (null when
 * none). Error replies that blame the miner (classicCountsTowardMaxErrors:
 * not stale shares, not internal failures) and unanswerable lines count
 * toward `maxErrors`; at the limit the reply is sent and the connection
 * closes. There is no idle timeout here (the transport's is in force).
 * Every subscription ends when the peer closes; `handler.closed` is called once.
 * Queueing, counting, maxErrors and the close are {@link ClassicServerBase}'s.
 *
 * @see facts/ethash.md §1.2, §1.6, §7.2; nicehash/Specifications EthereumStratum_NiceHash_v1.0.0.txt
 */
export class Es1ServerSession extends ClassicServerBase implements EthClassicServerSession {
  readonly dialect = 'es1' as const;

  private readonly jobExtranonces = new JobExtranonces(JOB_HISTORY);
  /** authorized worker names, in authorization order */
  private readonly workers = new Set<string>();
  private subscribed = false;
  private extranonceSubscribed = false;
  private sessionIdValue: string | undefined;
  /** the extranonce the miner knows: from the subscribe reply, then from set_extranonce */
  private minerExtranonce: Buffer | undefined;
  /** the difficulty last sent with set_difficulty */
  private sentDifficulty: number | undefined;

  /**
   * @param peer the connection: `new RpcPeer(transport, classicCodec, {logger})`
   * @param handler the pool's answers to subscribe, authorize, submit and hashrate
   * @param options maxErrors (16), maxWorkers (256), maxPendingRequests (128), logger
   * @throws LodeError('config') if a limit is not a positive integer
   */
  constructor(peer: RpcPeer, handler: EthClassicServerHandler, options: EthClassicServerSessionOptions = {}) {
    super(peer, handler, options, 'es1', KNOWN_METHODS);
  }

  /** The session id given in the subscribe reply, undefined before. */
  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  /** Authorized worker names, in authorization order. */
  get authorizedWorkers(): readonly string[] {
    return [...this.workers];
  }

  /** True once the miner sent `mining.extranonce.subscribe`. */
  get extranonceSubscription(): boolean {
    return this.extranonceSubscribed;
  }

  /** True once subscribed and one worker is authorized: jobs go out at once. */
  get ready(): boolean {
    return this.subscribed && this.workers.size > 0;
  }

  /** A snapshot of this session's counters (for metrics), with `counted`: the errors counted toward maxErrors. */
  override get counters(): EthClassicServerCounters & { counted: number } {
    return { ...super.counters, counted: this.countedErrors };
  }

  /**
   * Sends a job (the session is ready and open): `mining.set_extranonce
   * [hex]` when its extranonce differs from the one the miner knows (only
   * after `mining.extranonce.subscribe`; without it the connection closes
   * instead, see the class comment), `mining.set_difficulty [d]` when the ES1
   * difficulty of its target changed (always before the first job), then
   * `mining.notify`. The job's extranonce is remembered for its submits (the
   * last 64 jobs).
   *
   * @returns false when the connection closed because the extranonce changed, else true
   */
  protected writeJob(job: EthClassicServerJob): boolean {
    const known = this.minerExtranonce;
    if (known === undefined || !known.equals(job.extranonce)) {
      if (!this.extranonceSubscribed) {
        // ES1 has no way to hand a new extranonce to a miner that did not ask for mining.set_extranonce.
        this.close(
          `extranonce changed from ${known?.toString('hex') ?? '(none)'} to ${job.extranonce.toString('hex')} and the miner did not send mining.extranonce.subscribe: reconnect for the new one`,
        );
        return false;
      }
      this.peer.notify(Es1Methods.SET_EXTRANONCE, [job.extranonce.toString('hex')]);
      this.minerExtranonce = Buffer.from(job.extranonce);
    }
    const difficulty = es1DifficultyFromTarget(job.target);
    if (difficulty !== this.sentDifficulty) {
      this.peer.notify(Es1Methods.SET_DIFFICULTY, [difficulty]);
      this.sentDifficulty = difficulty;
    }
    const params = [job.jobId, job.seedHash.toLowerCase(), job.headerHash.toLowerCase(), job.clean];
    this.peer.notify(Es1Methods.NOTIFY, params, job.algo === 'ethash' ? undefined : { algo: job.algo });
    this.jobExtranonces.record(job.jobId, job.extranonce);
    return true;
  }

  /**
   * Checks a job before it goes out: job id not 1..64 printable characters,
   * hashes not 64 hex digits, target not in 1..2^256-1, extranonce not 1..3
   * bytes, algo empty or clean not boolean throw LodeError('protocol').
   */
  protected override checkJob(job: EthClassicServerJob): void {
    checkJob(job);
  }

  /** A miner's notification is not an error in ES1: `mining.extranonce.subscribe` is honoured, the rest ignored. */
  protected override onMinerNotification(n: IncomingNotification): void {
    this.enqueue(() => this.onNotification(n));
  }

  /** Every invalid line is answered (id null when none could be read) but a response to nothing asked. */
  protected override isUnanswerable(bad: InvalidLine): boolean {
    return isResponse(bad.line);
  }

  /** Error replies that blame the miner (classicCountsTowardMaxErrors: not stale shares, not internal failures). */
  protected override countsTowardMaxErrors(error: RpcErrorBody): boolean {
    return classicCountsTowardMaxErrors(error);
  }

  protected override maxErrorsReason(why: string): string {
    return `maxErrors ${this.options.maxErrors} reached (last: ${why})`;
  }

  protected answer(req: IncomingRequest): Promise<ClassicReply> | ClassicReply {
    const { method, params } = req;
    switch (method) {
      case Es1Methods.SUBSCRIBE:
        return this.onSubscribe(params);
      case Es1Methods.EXTRANONCE_SUBSCRIBE:
        return this.onExtranonceSubscribe();
      case Es1Methods.AUTHORIZE:
        return this.onAuthorize(params);
      case Es1Methods.SUBMIT:
        return this.onSubmit(params);
      default:
        return this.onHashrate(params, req.extra?.['worker']);
    }
  }

  /** `mining.subscribe ["agent", "EthereumStratum/1.0.0"]`. */
  private async onSubscribe(params: unknown[]): Promise<ClassicReply> {
    if (this.subscribed) return malformed('mining.subscribe was already answered on this connection', 'not-request');
    const [agent, protocol] = params;
    if (params.length < 2) {
      return malformed(`mining.subscribe takes ["agent", "${ES1_PROTOCOL}"], got ${params.length} parameter${params.length === 1 ? '' : 's'}`);
    }
    if (typeof agent !== 'string' || agent.length > MAX_NAME) {
      return malformed(`mining.subscribe parameter 1 (agent) is ${show(agent)}, expected a string of at most ${MAX_NAME} characters`);
    }
    if (protocol !== ES1_PROTOCOL) {
      return malformed(`mining.subscribe protocol is ${show(protocol)}, this port speaks "${ES1_PROTOCOL}"`);
    }
    let result: EthClassicSubscribeResult;
    try {
      result = await this.handler.subscribe({ dialect: 'es1', userAgent: agent });
    } catch (err) {
      return this.handlerFailure(Es1Methods.SUBSCRIBE, err);
    }
    const { sessionId, extranonce } = result;
    if (typeof sessionId !== 'string' || sessionId.length < 1 || sessionId.length > 64 || !PRINTABLE_RE.test(sessionId)) {
      return this.handlerFailure(Es1Methods.SUBSCRIBE, new LodeError('protocol', `the pool's session id ${show(sessionId)} is not 1..64 printable characters`));
    }
    if (!Buffer.isBuffer(extranonce) || extranonce.length < 1 || extranonce.length > ES1_MAX_EXTRANONCE_BYTES) {
      return this.handlerFailure(Es1Methods.SUBSCRIBE, new LodeError('protocol', `the pool's extranonce is not 1..${ES1_MAX_EXTRANONCE_BYTES} bytes`));
    }
    this.subscribed = true;
    this.sessionIdValue = sessionId;
    this.minerExtranonce = Buffer.from(extranonce);
    return { result: [[Es1Methods.NOTIFY, sessionId, ES1_PROTOCOL], extranonce.toString('hex')] };
  }

  /** `mining.extranonce.subscribe []` (NiceHash extension): accepted at any time. */
  private onExtranonceSubscribe(): ClassicReply {
    this.extranonceSubscribed = true;
    return { result: true };
  }

  /** `mining.authorize [name, password]`. */
  private async onAuthorize(params: unknown[]): Promise<ClassicReply> {
    const [workerName, rawPassword] = params;
    if (params.length < 1 || params.length > 2) {
      return malformed(`mining.authorize takes [name, password], got ${params.length} parameter${params.length === 1 ? '' : 's'}`);
    }
    if (typeof workerName !== 'string' || workerName.length === 0 || workerName.length > MAX_NAME) {
      return malformed(`mining.authorize parameter 1 (name) is ${show(workerName)}, expected a string of 1..${MAX_NAME} characters`);
    }
    if (rawPassword !== undefined && rawPassword !== null && typeof rawPassword !== 'string') {
      return malformed(`mining.authorize parameter 2 (password) is ${show(rawPassword)}, expected a string`);
    }
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'mining.authorize before mining.subscribe') };
    if (this.workers.has(workerName)) return { result: true };
    if (this.workers.size >= this.options.maxWorkers) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `this connection already has ${this.options.maxWorkers} workers`) };
    }
    const password = typeof rawPassword === 'string' ? rawPassword : '';
    let ok: boolean;
    try {
      ok = await this.handler.authorize({ workerName, password });
    } catch (err) {
      return this.handlerFailure(Es1Methods.AUTHORIZE, err);
    }
    if (ok !== true) return { error: classicError(ClassicErrors.UNAUTHORIZED, `the pool refused ${show(workerName)}`) };
    this.workers.add(workerName);
    return { result: true };
  }

  /** `mining.submit [worker, jobId, minerNonce]`. */
  private async onSubmit(params: unknown[]): Promise<ClassicReply> {
    const names = ['worker', 'jobId', 'minerNonce'];
    if (params.length !== 3) {
      return malformed(`mining.submit takes [worker, jobId, minerNonce], got ${params.length} parameter${params.length === 1 ? '' : 's'}`);
    }
    for (let i = 0; i < 3; i++) {
      if (typeof params[i] !== 'string') return malformed(`mining.submit parameter ${i + 1} (${names[i]}) is ${show(params[i])}, expected a string`);
    }
    const [workerName, jobId, minerNonceHex] = params as string[];
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'mining.submit before mining.subscribe') };
    if (!this.workers.has(workerName)) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `worker ${show(workerName)} is not authorized on this connection`) };
    }
    const extranonce = this.jobExtranonces.get(jobId);
    if (extranonce === undefined) {
      return { error: classicRejectionError({ accepted: false, reason: 'unknown-job', message: `job ${show(jobId)} was not sent on this connection` }) };
    }
    const expected = ES1_NONCE_BYTES - extranonce.length;
    if (minerNonceHex.length !== expected * 2 || !HEX_RE.test(minerNonceHex)) {
      const got = HEX_RE.test(minerNonceHex) ? `${minerNonceHex.length / 2} bytes` : `${show(minerNonceHex)}, not whole hex bytes`;
      return {
        error: classicRejectionError({
          accepted: false,
          reason: 'bad-nonce',
          message: `miner nonce is ${got}, expected ${expected} (8-byte nonce minus the ${extranonce.length}-byte extranonce ${extranonce.toString('hex')})`,
        }),
      };
    }
    const minerNonce = Buffer.from(minerNonceHex, 'hex');
    let verdict: ShareVerdict;
    try {
      verdict = await this.handler.submit({
        workerName,
        jobId,
        extranonce: Buffer.from(extranonce),
        minerNonce,
        nonce: Buffer.concat([extranonce, minerNonce]),
      });
    } catch (err) {
      return this.handlerFailure(Es1Methods.SUBMIT, err);
    }
    if (verdict.accepted) return { result: true };
    return { error: classicRejectionError(verdict) };
  }

  /** `eth_submitHashrate [hashrateHex, idHex]` (ethminer sends it in ES1 too). */
  private onHashrate(params: unknown[], worker: unknown): ClassicReply {
    const [rate, id] = params;
    if (params.length !== 2) {
      return malformed(`eth_submitHashrate takes [hashrate, id], got ${params.length} parameter${params.length === 1 ? '' : 's'}`);
    }
    if (typeof rate !== 'string' || !HASHRATE_RE.test(rate)) {
      return malformed(`eth_submitHashrate parameter 1 (hashrate) is ${show(rate)}, expected a hex number (at most 64 digits)`);
    }
    if (typeof id !== 'string' || id.length > 130) {
      return malformed(`eth_submitHashrate parameter 2 (id) is ${show(id)}, expected a hex string`);
    }
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'eth_submitHashrate before mining.subscribe') };
    const first = this.workers.values().next();
    if (first.done === true) return { error: classicError(ClassicErrors.UNAUTHORIZED, 'eth_submitHashrate before mining.authorize') };
    const workerName = typeof worker === 'string' && this.workers.has(worker) ? worker : first.value;
    const hashrate = BigInt(rate.startsWith('0x') ? rate : `0x${rate}`);
    return this.recordHashrate({ workerName, hashrate, id });
  }

  private onNotification(n: IncomingNotification): void {
    if (this.isClosed) return;
    // Some miners send the extension as a notification; honour it, ignore the rest.
    if (n.method === Es1Methods.EXTRANONCE_SUBSCRIBE) {
      this.countRequest(n.method);
      this.extranonceSubscribed = true;
      return;
    }
    this.logger.debug({ method: show(n.method) }, 'notification from the miner ignored');
  }
}

/** True when an invalid line is a JSON response (result or error, no method), which a server does not answer. */
function isResponse(line: string): boolean {
  try {
    const msg: unknown = JSON.parse(line);
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return false;
    return !('method' in msg) && ('result' in msg || 'error' in msg);
  } catch {
    return false;
  }
}
