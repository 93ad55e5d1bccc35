import { eip1571Codec, gzipLineCodec, invalidLineShape, lazyChildLogger, LodeError, reportMalformed, silentLogger } from '@lode/stratum-core';
import type { Eip1571Params, IncomingNotification, IncomingRequest, InvalidLine, LodeLogger, MalformedKind, RpcId, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { ReplaySubject, Subscription, take, takeUntil } from 'rxjs';
import { countsTowardMaxErrors, ethError, EthStratumErrors } from '../errors';
import type { EthHelloRequest } from '../messages/hello';
import { EthMethods } from '../messages/methods';
import { encodeSetParams } from '../messages/mining-set';
import { encodeNotifyParams } from '../messages/notify';
import { encodePoolHashrateParams } from '../messages/pool-hashrate';
import type { EthPoolHashrate } from '../messages/pool-hashrate';
import { encodeReconnectParams } from '../messages/reconnect';
import type { EthReconnect } from '../messages/reconnect';
import { show } from '../messages/show';
import { handleAuthorize } from './handlers/authorize';
import { handleHashrate } from './handlers/hashrate';
import { handleHello } from './handlers/hello';
import { handleNoop } from './handlers/noop';
import { handleSubmit } from './handlers/submit';
import { handleSubscribe } from './handlers/subscribe';
import { JobExtranonces } from './job-extranonces';
import { fail } from './method-context';
import type {
  EthServerMethodContext,
  EthServerMethodHandler,
  EthServerSessionState,
  MethodReply,
  ResolvedServerOptions,
} from './method-context';
import { MiningSetTracker } from './mining-set-tracker';
import type { EthCloseInfo } from '../close-info';
import type { EthStratumServerHandler, EthStratumServerSessionOptions } from './server-handler';

/** The miner's requests this session answers, by method. A Map, so "constructor" is not a method. */
const METHODS: ReadonlyMap<string, EthServerMethodHandler> = new Map<string, EthServerMethodHandler>([
  [EthMethods.HELLO, handleHello],
  [EthMethods.SUBSCRIBE, handleSubscribe],
  [EthMethods.AUTHORIZE, handleAuthorize],
  [EthMethods.SUBMIT, handleSubmit],
  [EthMethods.HASHRATE, handleHashrate],
  [EthMethods.NOOP, handleNoop],
]);

/** The key under which requests for methods this session does not know are counted. */
export const ETH_UNKNOWN_METHOD_KEY = 'unknown';

/** How many jobs' extranonces a connection remembers for its submits. */
const JOB_HISTORY = 64;

/**
 * One job as the pool hands it to a session. Epoch, target, algo and
 * extranonce go out in `mining.set` (only what changed since the last job
 * on this connection), the rest in `mining.notify`.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Prepare for mining", "Jobs notification"
 */
export interface EthServerJob {
  /** short job id, 1..64 characters */
  jobId: string;
  /** block number */
  height: number;
  /** the header hash the miner hashes with its nonce, 64 hex digits */
  headerHash: string;
  /** true: shares on earlier jobs will be stale */
  clean: boolean;
  /** ethash epoch number */
  epoch: number;
  /** "ethash" (or a variant the coin names) */
  algo: string;
  /** the share boundary (a 256-bit target, not a difficulty), 1 <= target < 2^256 */
  target: bigint;
  /** the leading nonce bytes assigned to this session, 0..6 bytes; empty cancels it */
  extranonce: Buffer;
}

/** Per-session counters, monotonically increasing; a snapshot. */
export interface EthStratumServerCounters {
  /** requests by method; methods the session does not know count under "unknown" (keeps the map bounded) */
  requests: Record<string, number>;
  /** error replies by code (202, 220, 301..303, 400..414, 500, 503) */
  errors: Record<number, number>;
  /** errors counted toward `maxErrors`: error replies that blame the miner, and lines that could not be answered */
  counted: number;
  /** lines that were not valid EIP-1571 messages (unmatched responses included) */
  invalidLines: number;
  /** lines over the transport's length cap */
  framingErrors: number;
  /** jobs sent (`mining.notify`) */
  jobs: number;
}

function resolveOptions(options: EthStratumServerSessionOptions): ResolvedServerOptions {
  const { node } = options;
  if (typeof node !== 'string' || node.length === 0 || !/^[\x20-\x7e]+$/.test(node)) {
    throw new LodeError('config', `node ${show(node)} is not a non-empty printable ASCII string`);
  }
  const encoding = options.encoding ?? 'plain';
  if (encoding !== 'plain' && encoding !== 'gzip') {
    throw new LodeError('config', `encoding ${show(encoding)} is not "plain" or "gzip"`);
  }
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v <= 0) throw new LodeError('config', `${name} ${show(v)} is not a positive integer`);
    return v;
  };
  const reconnectGraceMs = options.reconnectGraceMs ?? 1000;
  if (!Number.isSafeInteger(reconnectGraceMs) || reconnectGraceMs < 0) {
    throw new LodeError('config', `reconnectGraceMs ${show(reconnectGraceMs)} is not an integer >= 0`);
  }
  const hashrateMinIntervalMs = options.hashrateMinIntervalMs ?? 10_000;
  if (!Number.isSafeInteger(hashrateMinIntervalMs) || hashrateMinIntervalMs < 0) {
    throw new LodeError('config', `hashrateMinIntervalMs ${show(hashrateMinIntervalMs)} is not an integer >= 0`);
  }
  return {
    node,
    encoding,
    resume: options.resume ?? false,
    timeoutSeconds: positive('timeoutSeconds', options.timeoutSeconds, 180),
    maxErrors: positive('maxErrors', options.maxErrors, 5),
    hashrateMinIntervalMs,
    maxWorkers: positive('maxWorkers', options.maxWorkers, 256),
    maxPendingRequests: positive('maxPendingRequests', options.maxPendingRequests, 128),
    reconnectGraceMs,
    now: options.now ?? Date.now,
  };
}

/** True when `line` is a plain JSON object, i.e. not a gzip line. */
function looksPlain(line: string): boolean {
  return line.trimStart().startsWith('{');
}

/** The session's logger bindings, shared by every session. */
const LOG_BINDINGS = { dialect: 'ethstratum', side: 'server' };

/**
 * The pool side of one EthereumStratum/2.0.0 (EIP-1571) connection:
 * handshake and dispatch. It validates every miner request, passes typed
 * requests to its {@link EthStratumServerHandler}, and writes exactly one
 * reply per request id (spec: "The receiver MUST reply back to any request
 * individually"). Method handlers live in `server/handlers/`, one per method.
 *
 * Guarantees:
 * - `mining.hello` comes first; anything else first gets 400. A hello for
 *   another proto gets 400 "Bad protocol request" and the connection closes.
 *   The hello reply carries all six members; with encoding "gzip" every
 *   later line is `gzipLineCodec(eip1571Codec)` and a plain line closes the
 *   connection (spec: MUST close).
 * - Replies go out in the order the requests came in (at most
 *   `maxPendingRequests` wait; one more closes the connection).
 * - No job before hello, subscribe and at least one authorized worker (or a
 *   resumed session that brought its workers back): the spec requires one
 *   authorization before jobs. Until then `sendJob` holds the latest job and
 *   sends it right after the reply that makes the session ready.
 * - `mining.set` precedes a job with only the values that changed since the
 *   last one sent on this connection (all four the first time); they apply
 *   to the next job, as the spec says.
 * - Error replies that blame the miner, invalid lines, unanswerable lines
 *   and forbidden notifications count toward `maxErrors`; at the limit the
 *   reply is sent and the connection closes ("maxerrors 5 reached").
 *   (`countsTowardMaxErrors`: 202, 410 and 5xx do not count.)
 * - No message from the miner for `timeoutSeconds` closes the connection
 *   ("idle for 180 s"); timers are unref'd and cleared on close.
 * - `mining.bye` from the miner closes the connection and reports `bye:
 *   true` (the session is abandoned); `mining.reconnect` from a miner is ignored.
 * - Every subscription ends when the peer closes; `handler.closed` is called once.
 * - Every malformed message (overlong or undecodable line, unknown method,
 *   400 to a request, refused notification) is told to `handler.malformed`
 *   once, right after its error reply and before it counts toward
 *   `maxErrors`; share rejections never are (see EthStratumServerHandler.malformed).
 *
 * @see specs/003_fafafa51dc5fa36a.txt; facts/ethash.md §1.3 and §1.6
 */
export class EthStratumServerSession {
  private readonly logger: LodeLogger;
  private readonly options: ResolvedServerOptions;
  private readonly state: EthServerSessionState = {
    subscribe: 'none',
    resumed: false,
    currentExtranonce: Buffer.alloc(0),
    workersByToken: new Map(),
    tokensByWorker: new Map(),
    nextTokenIndex: 1,
    lastHashrateAt: new Map(),
    jobExtranonces: new JobExtranonces(JOB_HISTORY),
  };
  private readonly ctx: EthServerMethodContext;
  private readonly setTracker = new MiningSetTracker();
  // Only when another owner holds the peer's callbacks (see the constructor).
  private subscriptions: Subscription | undefined;
  private readonly closedSubject = new ReplaySubject<EthCloseInfo>(1);
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private gzipActive = false;
  private heldJob: EthServerJob | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private byeReceived = false;
  private byeSent = false;
  private closedInfo: EthCloseInfo | undefined;
  private readonly requestCounts = new Map<string, number>();
  private readonly errorCounts = new Map<number, number>();
  private countedErrors = 0;
  private invalidLines = 0;
  private framingErrorCount = 0;
  private jobCount = 0;

  /** Emits once when the connection closes (either side), with `bye`, then completes. */
  readonly closed$: Observable<EthCloseInfo> = this.closedSubject.asObservable();

  /**
   * @param peer the connection: `new RpcPeer<Eip1571Params>(transport, eip1571Codec, {logger})`
   * @param handler the pool's answers to subscribe, authorize, submit and hashrate
   * @param options node version, encoding, resume, timeout, maxerrors, limits
   * @throws LodeError('config') if `node` is empty or not printable ASCII, the
   *   encoding is unknown, or a limit is not a positive integer
   */
  constructor(
    private readonly peer: RpcPeer<Eip1571Params>,
    private readonly handler: EthStratumServerHandler,
    options: EthStratumServerSessionOptions,
  ) {
    this.options = resolveOptions(options);
    // No pino child per session: the bindings go into each log call (lazyChildLogger).
    this.logger = lazyChildLogger(options.logger ?? silentLogger, LOG_BINDINGS);
    this.ctx = {
      handler,
      state: this.state,
      options: this.options,
      logger: this.logger,
      switchToGzip: () => {
        this.peer.setCodec(gzipLineCodec(eip1571Codec));
        this.gzipActive = true;
      },
      close: (reason) => this.close(reason),
    };

    // Linked by callbacks (RpcPeer.handle): five subscriptions per session
    // cost more than the rest of the session. A peer already handled by
    // another owner gets plain subscriptions, all ended on close.
    const linked = peer.handle({
      request: (req) => this.onRequest(req),
      notification: (n) => this.onMinerNotification(n),
      invalid: (bad) => this.onInvalid(bad),
      closed: (info) => this.onClosed(info),
      framingError: (err) => this.onFramingError(err),
    });
    if (!linked) {
      const subs = (this.subscriptions = new Subscription());
      const closed$ = peer.closed$;
      subs.add(closed$.pipe(take(1)).subscribe((info) => this.onClosed(info)));
      subs.add(peer.requests$.pipe(takeUntil(closed$)).subscribe((req) => this.onRequest(req)));
      subs.add(peer.notifications$.pipe(takeUntil(closed$)).subscribe((n) => this.onMinerNotification(n)));
      subs.add(peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => this.onInvalid(bad)));
      subs.add(peer.framingErrors$.pipe(takeUntil(closed$)).subscribe((err) => this.onFramingError(err)));
    }
    if (!peer.isClosed) this.touch();
  }

  /** The options in force, defaults filled in (the hello reply announces timeout, maxerrors, resume, encoding). */
  get settings(): Readonly<ResolvedServerOptions> {
    return this.options;
  }

  /** What the miner said in `mining.hello`, undefined until it was accepted. */
  get hello(): EthHelloRequest | undefined {
    return this.state.hello;
  }

  /** The session id given in the subscribe reply, undefined before. */
  get sessionId(): string | undefined {
    return this.state.subscribe === 'done' ? this.state.sessionId : undefined;
  }

  /** True when the subscribe resumed an earlier session. */
  get resumed(): boolean {
    return this.state.resumed;
  }

  /** Authorized workers in this session: worker name -> token, in authorization order. */
  get workers(): ReadonlyMap<string, string> {
    return this.state.tokensByWorker;
  }

  /** True once hello, subscribe and one authorized worker are done: jobs go out at once. */
  get ready(): boolean {
    return this.state.hello !== undefined && this.state.subscribe === 'done' && this.state.workersByToken.size > 0;
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closedInfo !== undefined || this.peer.isClosed;
  }

  /** A snapshot of this session's counters (for metrics). */
  get counters(): EthStratumServerCounters {
    return {
      requests: Object.fromEntries(this.requestCounts),
      errors: Object.fromEntries(this.errorCounts),
      counted: this.countedErrors,
      invalidLines: this.invalidLines,
      framingErrors: this.framingErrorCount,
      jobs: this.jobCount,
    };
  }

  /**
   * Sends a job: `mining.set` with the values that changed since the last
   * job on this connection (all four the first time; the extranonce with
   * every byte, `""` when empty; the target and epoch as hex numbers), then
   * `mining.notify [jobId, height, headerHash, clean]`. The job's extranonce
   * is remembered for its submits (the last 64 jobs).
   *
   * Before the session is `ready` the job is held (only the latest) and
   * sent right after the reply that makes it ready.
   *
   * @returns true when sent now, false when held or the connection is closed
   * @throws LodeError('protocol') if the job is out of shape (see `encodeSetParams`, `encodeNotifyParams`)
   */
  sendJob(job: EthServerJob): boolean {
    encodeSetParams({ epoch: job.epoch, target: job.target, algo: job.algo, extranonce: job.extranonce });
    encodeNotifyParams(job);
    if (this.isClosed) return false;
    if (!this.ready) {
      this.heldJob = { ...job, extranonce: Buffer.from(job.extranonce) };
      return false;
    }
    this.writeJob(job);
    return true;
  }

  /**
   * Sends the server's `mining.hashrate` notification
   * (`{interval, hr, accepted: [accepted, stale], rejected}`), after hello and subscribe only.
   *
   * @returns true when sent
   * @throws LodeError('protocol') if a count is negative or fractional, or stale > accepted
   */
  sendHashrate(report: EthPoolHashrate): boolean {
    const params = encodePoolHashrateParams(report);
    if (this.isClosed || this.state.hello === undefined || this.state.subscribe !== 'done') return false;
    this.peer.notify(EthMethods.HASHRATE, params);
    return true;
  }

  /**
   * Sends `mining.reconnect {host, port (hex), resume}` and closes the
   * connection `reconnectGraceMs` later (the miner usually leaves first).
   * Before hello the connection just closes.
   *
   * @throws LodeError('protocol') if the host is empty or the port not in 1..65535
   */
  reconnect(target: EthReconnect): void {
    const params = encodeReconnectParams(target);
    if (this.isClosed) return;
    if (this.state.hello === undefined) {
      this.close('reconnect requested before mining.hello');
      return;
    }
    this.peer.notify(EthMethods.RECONNECT, params);
    if (this.reconnectTimer !== undefined) return;
    this.reconnectTimer = setTimeout(() => this.close(`mining.reconnect to ${target.host}:${target.port} sent`), this.options.reconnectGraceMs);
    this.reconnectTimer.unref();
  }

  /**
   * Sends `mining.bye` and closes: the session is abandoned (no resume);
   * `handler.closed` gets `bye: true`.
   */
  bye(): void {
    if (this.isClosed) return;
    this.byeSent = true;
    if (this.state.hello !== undefined) this.peer.notify(EthMethods.BYE, undefined);
    this.close('mining.bye sent');
  }

  /** Closes the connection with a logged reason; `closed$` emits with byPeer false. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.logger.info({ reason }, 'closing the connection');
    this.peer.close(reason);
  }

  private writeJob(job: EthServerJob): void {
    const changed = this.setTracker.diff({
      epoch: job.epoch,
      target: job.target,
      algo: job.algo,
      extranonce: job.extranonce,
    });
    if (Object.keys(changed).length > 0) this.peer.notify(EthMethods.SET, encodeSetParams(changed));
    this.peer.notify(EthMethods.NOTIFY, encodeNotifyParams(job));
    this.state.jobExtranonces.record(job.jobId, job.extranonce);
    this.state.currentExtranonce = Buffer.from(job.extranonce);
    this.jobCount++;
  }

  private flushHeldJob(): void {
    const job = this.heldJob;
    if (job === undefined || !this.ready || this.isClosed) return;
    this.heldJob = undefined;
    this.writeJob(job);
  }

  private enqueue(work: () => Promise<void> | void): void {
    if (this.pending >= this.options.maxPendingRequests) {
      this.close(`over ${this.options.maxPendingRequests} requests waiting for their replies`);
      return;
    }
    this.pending++;
    this.chain = this.chain
      .then(work)
      .catch((err: unknown) => this.logger.error({ err }, 'request dispatch failed'))
      .finally(() => {
        this.pending--;
      });
  }

  private async answer(id: RpcId, method: string, params: unknown): Promise<void> {
    // Requests still queued when the miner left are not worth judging: nobody reads the reply.
    if (this.isClosed) return;
    const handler = METHODS.get(method);
    this.countRequest(handler === undefined ? ETH_UNKNOWN_METHOD_KEY : method);
    let reply: MethodReply;
    // What the reply tells handler.malformed; the method handlers mark their own (malformedReply).
    let malformed: MalformedKind | undefined;
    if (method !== EthMethods.HELLO && this.state.hello === undefined) {
      reply = fail(EthStratumErrors.BAD_REQUEST, `mining.hello must be the first request, got ${show(method)}`);
      malformed = handler === undefined ? 'unknown-method' : 'not-request';
    } else if (handler === undefined) {
      reply = fail(EthStratumErrors.METHOD_NOT_FOUND, `unknown method ${show(method)}`);
      malformed = 'unknown-method';
    } else {
      try {
        reply = await handler(this.ctx, params);
        malformed = reply.malformed;
      } catch (err) {
        this.logger.error({ err, method }, 'method handler threw');
        reply = fail(EthStratumErrors.INTERNAL, `${method} failed`);
      }
    }
    this.write(id, reply, malformed, method);
    reply.after?.();
    this.flushHeldJob();
  }

  private onNotification(method: string): void {
    if (this.isClosed) return;
    switch (method) {
      case EthMethods.BYE:
        this.close('mining.bye from the miner');
        return;
      case EthMethods.RECONNECT:
        // "This notification is meant only from servers to clients. Should a server receive such a notification it will simply ignore it."
        this.logger.debug({}, 'mining.reconnect from the miner ignored');
        return;
      case EthMethods.NOOP:
        // A keepalive sent without an id: resetting the idle timer was all it asked.
        return;
      default: {
        this.logger.debug({ method: show(method) }, 'notification from the miner refused');
        const why = `notification ${show(method)} is not one a miner may send`;
        reportMalformed(this.handler, this.logger, 'notification', why, method);
        this.countError(why);
      }
    }
  }

  private onRequest(req: IncomingRequest<Eip1571Params>): void {
    this.touch();
    this.enqueue(() => this.answer(req.id, req.method, req.params));
  }

  private onMinerNotification(n: IncomingNotification<Eip1571Params>): void {
    this.touch();
    // Marked at once: the miner's close often arrives right behind its bye, before the queue gets to it.
    if (n.method === EthMethods.BYE) this.byeReceived = true;
    this.enqueue(() => this.onNotification(n.method));
  }

  private onInvalid(bad: InvalidLine): void {
    this.touch();
    this.invalidLines++;
    this.enqueue(() => this.answerInvalid(bad));
  }

  private onFramingError(err: LodeError): void {
    // The transport closes itself right after; an EIP-1571 error needs an id, which an overlong line has not.
    this.framingErrorCount++;
    this.logger.warn({ err: err.message }, 'overlong line from the miner');
    reportMalformed(this.handler, this.logger, 'overlong', err.message);
  }

  private answerInvalid(bad: InvalidLine): void {
    if (this.isClosed) return;
    if (this.gzipActive && looksPlain(bad.line)) {
      const why = 'plain-text line after encoding gzip was negotiated';
      this.reportInvalid(bad.line, why);
      this.close(why);
      return;
    }
    if (bad.code === undefined || bad.id === null) {
      // A response to nothing we asked, or a line whose id cannot be read: there is nobody to answer.
      this.logger.debug({ id: bad.id, reason: bad.reason }, 'invalid line from the miner cannot be answered');
      // The codec gives every line it refuses code 400: without one, and with an id, RpcPeer found a response that matches no request of ours (not malformed).
      if (bad.code !== undefined || bad.id === null) this.reportInvalid(bad.line, bad.reason);
      this.countError(bad.reason);
      return;
    }
    const body = bad.code === EthStratumErrors.BAD_REQUEST.code ? ethError(EthStratumErrors.BAD_REQUEST, bad.reason) : { code: bad.code, message: bad.reason };
    if (this.handler.malformed === undefined) {
      this.write(bad.id, { error: body });
      return;
    }
    const shape = invalidLineShape(bad.line);
    this.write(bad.id, { error: body }, shape.kind === 'not-json' ? 'not-json' : 'not-request', shape.method);
  }

  /** Reports a line the codec refused: `not-json`, else `not-request` (a response-shaped line the codec refused included). */
  private reportInvalid(line: string, reason: string): void {
    if (this.handler.malformed === undefined) return;
    const shape = invalidLineShape(line);
    reportMalformed(this.handler, this.logger, shape.kind === 'not-json' ? 'not-json' : 'not-request', reason, shape.method);
  }

  /**
   * Writes the one reply of a request. `malformed`: the error reply refuses
   * a malformed message, reported to `handler.malformed` (with `method`, the
   * reply's message as reason) right after it is written and before it
   * counts toward maxErrors (whose close would come first otherwise).
   */
  private write(id: RpcId, reply: MethodReply, malformed?: MalformedKind, method?: string): void {
    if (this.isClosed) return;
    if ('result' in reply) {
      try {
        this.peer.respond(id, reply.result);
      } catch (err) {
        this.logger.error({ err, id }, 'reply could not be encoded');
        this.write(id, fail(EthStratumErrors.INTERNAL, 'the reply could not be encoded'));
      }
      return;
    }
    const { code } = reply.error;
    this.errorCounts.set(code, (this.errorCounts.get(code) ?? 0) + 1);
    try {
      this.peer.respondError(id, reply.error);
    } catch (err) {
      this.logger.error({ err, id, code }, 'error reply could not be encoded');
      this.peer.respondError(id, ethError(EthStratumErrors.INTERNAL));
    }
    if (malformed !== undefined) reportMalformed(this.handler, this.logger, malformed, reply.error.message, method);
    if (countsTowardMaxErrors(code)) this.countError(reply.error.message);
  }

  private countError(why: string): void {
    this.countedErrors++;
    if (this.countedErrors >= this.options.maxErrors) {
      this.logger.warn({ last: why }, `maxerrors ${this.options.maxErrors} reached`);
      this.close(`maxerrors ${this.options.maxErrors} reached`);
    }
  }

  private countRequest(key: string): void {
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }

  /** Restarts the idle timeout: any message from the miner counts. */
  private touch(): void {
    if (this.closedInfo !== undefined) return;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    const seconds = this.options.timeoutSeconds;
    this.idleTimer = setTimeout(() => this.close(`idle for ${seconds} s`), seconds * 1000);
    this.idleTimer.unref();
  }

  private onClosed(info: { reason: string; byPeer: boolean }): void {
    if (this.closedInfo !== undefined) return;
    const closed: EthCloseInfo = {
      reason: info.reason,
      byPeer: this.byeReceived ? true : info.byPeer,
      bye: this.byeReceived || this.byeSent,
    };
    this.closedInfo = closed;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.idleTimer = undefined;
    this.reconnectTimer = undefined;
    this.heldJob = undefined;
    this.subscriptions?.unsubscribe();
    this.closedSubject.next(closed);
    this.closedSubject.complete();
    try {
      this.handler.closed?.(closed);
    } catch (err) {
      this.logger.error({ err }, 'closed handler threw');
    }
  }
}
