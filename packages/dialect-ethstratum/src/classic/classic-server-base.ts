import { invalidLineShape, lazyChildLogger, LodeError, reportMalformed, silentLogger } from '@lode/stratum-core';
import type {
  CloseInfo,
  IncomingNotification,
  IncomingRequest,
  InvalidLine,
  LodeLogger,
  MalformedKind,
  RpcErrorBody,
  RpcExtraMembers,
  RpcId,
  RpcPeer,
} from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { ReplaySubject, Subscription, take, takeUntil } from 'rxjs';
import type {
  EthClassicDialect,
  EthClassicHashrateRequest,
  EthClassicServerCounters,
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicServerSession,
  EthClassicServerSessionOptions,
} from './classic-contract';
import { classicCountsTowardMaxErrors, classicError, ClassicErrors, classicRejectionError } from './classic-errors';
import type { ReplyMalformedKind } from '../malformed';
import { show } from '../messages/show';
import { checkClassicJob } from './classic-wire';

/** A classic server session's logger bindings by dialect, shared by every session. */
const LOG_BINDINGS: Readonly<Record<EthClassicDialect, object>> = {
  es1: { dialect: 'es1', side: 'server' },
  ethproxy: { dialect: 'ethproxy', side: 'server' },
  plain: { dialect: 'plain', side: 'server' },
};

/** The key under which requests for methods a classic session does not serve are counted. */
export const CLASSIC_UNKNOWN_METHOD_KEY = 'unknown';

/**
 * The one reply a request gets: a result (with top-level `extra` members) or
 * an error body; `after` runs right after the reply is written. `malformed`
 * marks an error reply that refuses a malformed request (wrong params of a
 * known method, or a request out of place): the session reports it to
 * `handler.malformed`. Error code 20 alone says nothing: share rejections
 * and internal failures use it too, and are never marked.
 */
export type ClassicReply = ({ result: unknown; extra?: RpcExtraMembers } | { error: RpcErrorBody }) & {
  after?: () => void;
  malformed?: ReplyMalformedKind;
};

/** The options of a classic server session with every default filled in. */
export interface ResolvedClassicServerOptions {
  maxErrors: number;
  maxWorkers: number;
  maxPendingRequests: number;
}

function resolveOptions(options: EthClassicServerSessionOptions): ResolvedClassicServerOptions {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isSafeInteger(v) || v <= 0) throw new LodeError('config', `${name} ${show(v)} is not a positive integer`);
    return v;
  };
  return {
    maxErrors: positive('maxErrors', options.maxErrors, 16),
    maxWorkers: positive('maxWorkers', options.maxWorkers, 256),
    maxPendingRequests: positive('maxPendingRequests', options.maxPendingRequests, 128),
  };
}

/**
 * Whether an error reply counts toward `maxErrors`: those that blame the
 * miner (classic-errors `classicCountsTowardMaxErrors`), and never EthProxy's
 * `{code: 0, "Work not ready"}` (the pool has no job yet: not the miner's fault).
 */
function countsTowardMaxErrors(error: RpcErrorBody): boolean {
  return error.code !== 0 && classicCountsTowardMaxErrors(error);
}

/**
 * What Es1ServerSession, EthProxyServerSession and PlainEthServerSession
 * share: the request queue, counters, error accounting and the close. A
 * subclass answers the methods it knows ({@link ClassicServerBase.answer})
 * and writes jobs ({@link ClassicServerBase.writeJob}); this class does the
 * rest (a dialect adjusts it through the protected hooks below), the way the
 * EthereumStratum/2.0.0 server session does it (src/server/server-session.ts):
 *
 * - Replies go out in the order the requests came in; at most
 *   `maxPendingRequests` wait (one more closes the connection).
 * - A method the dialect does not serve gets 20 "Unknown method: <name>"
 *   (counted under "unknown"); a handler that throws gets its LodeError's code
 *   and message when it carries a code, else 20 "Internal error".
 * - A line that is not a valid message gets 20 "Malformed request: <reason>"
 *   when its id can be read; a notification (no id) from the miner cannot be
 *   answered and is counted as an invalid line.
 * - Error replies that blame the miner, and unanswerable lines, count toward
 *   `maxErrors` (default 16); at the limit the reply is sent and the
 *   connection closes ("maxErrors 16 reached").
 * - Every malformed message is told to `handler.malformed` once, at the
 *   point the session decides it (right after its error reply, before it
 *   counts toward maxErrors): an overlong line, an invalid line (not a
 *   response-shaped one), an unknown method, a reply the dialect marked
 *   (`ClassicReply.malformed`), a refused notification. Never a share
 *   rejection, whatever its code (see EthClassicServerHandler.malformed).
 * - Before `ready`, `sendJob` holds the latest job and sends it right after
 *   the reply that makes the session ready.
 * - `closed$` emits once; `handler.closed` is called once; every
 *   subscription ends when the peer closes.
 */
export abstract class ClassicServerBase implements EthClassicServerSession {
  abstract readonly dialect: EthClassicDialect;
  /** true once jobs may be sent (see the subclass) */
  abstract get ready(): boolean;

  protected readonly logger: LodeLogger;
  protected readonly options: ResolvedClassicServerOptions;
  // Only when another owner holds the peer's callbacks (see the constructor).
  private subscriptions: Subscription | undefined;
  private readonly closedSubject = new ReplaySubject<CloseInfo>(1);
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private heldJob: EthClassicServerJob | undefined;
  private closedInfo: CloseInfo | undefined;
  private readonly requestCounts = new Map<string, number>();
  private readonly errorCounts = new Map<number, number>();
  /** error replies and unanswerable lines counted toward maxErrors */
  protected countedErrors = 0;
  private invalidLines = 0;
  private jobCount = 0;

  /** Emits once when the connection closes (either side), then completes. */
  readonly closed$: Observable<CloseInfo> = this.closedSubject.asObservable();

  /**
   * @param peer the connection (its codec is the dialect's)
   * @param handler the pool
   * @param options maxErrors, maxWorkers, maxPendingRequests, logger
   * @param knownMethods the methods the subclass answers (others get "Unknown method")
   * @throws LodeError('config') if a limit is not a positive integer
   */
  protected constructor(
    protected readonly peer: RpcPeer,
    protected readonly handler: EthClassicServerHandler,
    options: EthClassicServerSessionOptions,
    dialect: EthClassicDialect,
    private readonly knownMethods: ReadonlySet<string>,
  ) {
    this.options = resolveOptions(options);
    // No pino child per session: the bindings go into each log call (lazyChildLogger).
    this.logger = lazyChildLogger(options.logger ?? silentLogger, LOG_BINDINGS[dialect] ?? { dialect, side: 'server' });
    // Linked by callbacks (RpcPeer.handle): five subscriptions per session
    // cost more than the rest of the session. A peer already handled by
    // another owner gets plain subscriptions, all ended on close.
    const linked = peer.handle({
      request: (req) => this.enqueue(() => this.dispatch(req)),
      notification: (n) => this.onMinerNotification(n),
      invalid: (bad) => this.onInvalid(bad),
      closed: (info) => this.onClosed(info),
      framingError: (err) => this.onFramingError(err),
    });
    if (linked) return;
    const subs = (this.subscriptions = new Subscription());
    const closed$ = peer.closed$;
    subs.add(closed$.pipe(take(1)).subscribe((info) => this.onClosed(info)));
    subs.add(peer.requests$.pipe(takeUntil(closed$)).subscribe((req) => this.enqueue(() => this.dispatch(req))));
    subs.add(peer.notifications$.pipe(takeUntil(closed$)).subscribe((n) => this.onMinerNotification(n)));
    subs.add(peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => this.onInvalid(bad)));
    subs.add(peer.framingErrors$.pipe(takeUntil(closed$)).subscribe((err) => this.onFramingError(err)));
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closedInfo !== undefined || this.peer.isClosed;
  }

  /** A snapshot of this session's counters (for metrics). */
  get counters(): EthClassicServerCounters {
    return {
      requests: Object.fromEntries(this.requestCounts),
      errors: Object.fromEntries(this.errorCounts),
      invalidLines: this.invalidLines,
      jobs: this.jobCount,
    };
  }

  /** The options in force, defaults filled in. */
  get settings(): Readonly<ResolvedClassicServerOptions> {
    return this.options;
  }

  /**
   * Sends a job now when `ready`, else holds it (only the latest) and sends
   * it right after the reply that makes the session ready.
   *
   * @returns true when sent now, false when held or the connection is closed
   * @throws LodeError('protocol') if the job is out of shape (see `checkClassicJob`)
   */
  sendJob(job: EthClassicServerJob): boolean {
    this.checkJob(job);
    if (this.isClosed) return false;
    const copy = { ...job, extranonce: Buffer.from(job.extranonce) };
    if (!this.ready) {
      this.heldJob = copy;
      return false;
    }
    this.heldJob = undefined;
    return this.sendNow(copy);
  }

  /** Closes the connection with a logged reason; `closed$` emits with byPeer false. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.logger.info({ reason }, 'closing the connection');
    this.peer.close(reason);
  }

  /** Answers one request for a method in `knownMethods`; never throws for peer input. */
  protected abstract answer(req: IncomingRequest): Promise<ClassicReply> | ClassicReply;

  /**
   * Writes a checked job to the miner (the session is ready and open).
   *
   * @returns true when written (counted in `counters.jobs`), false when the dialect could not send it
   */
  protected abstract writeJob(job: EthClassicServerJob): boolean;

  /** Checks a job before `sendJob` sends or holds it; throws LodeError('protocol'). Default: `checkClassicJob`. */
  protected checkJob(job: EthClassicServerJob): void {
    checkClassicJob(job);
  }

  /**
   * A notification (no id) from the miner. Default: it cannot be answered,
   * so it counts as an invalid line and toward maxErrors.
   */
  protected onMinerNotification(n: IncomingNotification): void {
    this.invalidLines++;
    this.enqueue(() => this.refuseNotification(n));
  }

  /**
   * Whether a refused notification (see {@link ClassicServerBase.onMinerNotification})
   * is reported as malformed. Default: always; EthProxy leaves out a
   * miner line shaped like its work push (a response, not a malformed message).
   */
  protected isMalformedNotification(_n: IncomingNotification): boolean {
    return true;
  }

  /**
   * Whether an invalid line gets no reply (it is only counted toward
   * maxErrors). Default: when its id cannot be read.
   */
  protected isUnanswerable(bad: InvalidLine): boolean {
    return bad.id === null;
  }

  /**
   * Whether an error reply counts toward `maxErrors`. Default: those that
   * blame the miner, never EthProxy's `{code: 0, "Work not ready"}`.
   */
  protected countsTowardMaxErrors(error: RpcErrorBody): boolean {
    return countsTowardMaxErrors(error);
  }

  /** The close reason at `maxErrors`; `why` is the last counted error. */
  protected maxErrorsReason(_why: string): string {
    return `maxErrors ${this.options.maxErrors} reached`;
  }

  /**
   * The reply when the pool's handler threw: its own code and message when
   * it threw a LodeError carrying a code, else 20 "Internal error" (the
   * details are logged, not sent).
   */
  protected handlerFailure(method: string, err: unknown): ClassicReply {
    if (LodeError.is(err) && err.code !== undefined) return { error: { code: err.code, message: err.message } };
    this.logger.error({ err, method }, `${method} handler failed`);
    return { error: classicError(ClassicErrors.INTERNAL, `${method} failed`) };
  }

  /**
   * Hands a share in the 0x-hex form of EthProxy's `eth_submitWork` and
   * plain stratum's `mining.submit` (both checked by the caller against
   * NONCE_PARAM and HASH_PARAM) to the pool: the full 8-byte nonce as
   * minerNonce and nonce, an empty extranonce, the 32-byte mix digest.
   *
   * @returns `true` when accepted (stale or not), else the classic rejection
   *   error; a throwing handler's reply is {@link ClassicServerBase.handlerFailure}'s
   */
  protected async submitHexShare(method: string, workerName: string, jobId: string, nonceHex: string, mixHex: string): Promise<ClassicReply> {
    const nonce = Buffer.from(nonceHex.slice(2), 'hex');
    try {
      const verdict = await this.handler.submit({
        workerName,
        jobId,
        extranonce: Buffer.alloc(0),
        minerNonce: nonce,
        nonce: Buffer.from(nonce),
        mixDigest: Buffer.from(mixHex.slice(2), 'hex'),
      });
      return verdict.accepted ? { result: true } : { error: classicRejectionError(verdict) };
    } catch (err) {
      return this.handlerFailure(method, err);
    }
  }

  /**
   * Asks the pool to authorize a worker (`password` a string, else "").
   *
   * @returns undefined when accepted; else the reply: 24 "Unauthorized worker:
   *   worker "<name>" refused", or {@link ClassicServerBase.handlerFailure}'s when the handler threw
   */
  protected async authorizeWorker(method: string, workerName: string, password: unknown): Promise<ClassicReply | undefined> {
    let accepted: boolean;
    try {
      accepted = await this.handler.authorize({ workerName, password: typeof password === 'string' ? password : '' });
    } catch (err) {
      return this.handlerFailure(method, err);
    }
    return accepted === true ? undefined : { error: classicError(ClassicErrors.UNAUTHORIZED, `worker ${show(workerName)} refused`) };
  }

  /** Gives a hashrate report to the pool (a throwing handler is logged) and answers `true`. */
  protected recordHashrate(report: EthClassicHashrateRequest): ClassicReply {
    try {
      this.handler.hashrate?.(report);
    } catch (err) {
      this.logger.error({ err }, 'hashrate handler threw');
    }
    return { result: true };
  }

  /** Queues work behind the replies still owed; over `maxPendingRequests` waiting, closes the connection instead. */
  protected enqueue(work: () => Promise<void> | void): void {
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

  private async dispatch(req: IncomingRequest): Promise<void> {
    // Requests still queued when the miner left are not worth judging: nobody reads the reply.
    if (this.isClosed) return;
    const known = this.knownMethods.has(req.method);
    this.countRequest(known ? req.method : CLASSIC_UNKNOWN_METHOD_KEY);
    let reply: ClassicReply;
    // What the reply tells handler.malformed; the dialects mark their own (ClassicReply.malformed).
    let malformed: MalformedKind | undefined;
    if (!known) {
      reply = { error: classicError(ClassicErrors.UNKNOWN_METHOD, show(req.method)) };
      malformed = 'unknown-method';
    } else {
      try {
        reply = await this.answer(req);
        malformed = reply.malformed;
      } catch (err) {
        this.logger.error({ err, method: req.method }, 'method handler threw');
        reply = { error: classicError(ClassicErrors.INTERNAL, `${req.method} failed`) };
      }
    }
    this.write(req.id, reply, malformed, req.method);
    reply.after?.();
    this.flushHeldJob();
  }

  private onInvalid(bad: InvalidLine): void {
    this.invalidLines++;
    this.enqueue(() => this.answerInvalid(bad));
  }

  private onFramingError(err: LodeError): void {
    // The transport closes itself right after; there is no id to answer.
    this.logger.warn({ err: err.message }, 'overlong line from the miner');
    reportMalformed(this.handler, this.logger, 'overlong', err.message);
  }

  private refuseNotification(n: IncomingNotification): void {
    const why = `notification ${show(n.method)} from the miner cannot be answered (no id)`;
    if (!this.isClosed && this.isMalformedNotification(n)) reportMalformed(this.handler, this.logger, 'notification', why, n.method);
    this.countError(why);
  }

  private answerInvalid(bad: InvalidLine): void {
    if (this.isClosed) return;
    // Read only for a handler that wants the report: a line shaped like a response (result or error, no method) is not malformed.
    const shape = this.handler.malformed === undefined ? undefined : invalidLineShape(bad.line);
    const malformed = shape === undefined || shape.kind === 'response' ? undefined : shape.kind;
    if (this.isUnanswerable(bad)) {
      // A response to nothing we asked, or a line whose id cannot be read: there is nobody to answer.
      this.logger.debug({ reason: bad.reason }, 'invalid line from the miner cannot be answered');
      if (malformed !== undefined) reportMalformed(this.handler, this.logger, malformed, bad.reason, shape?.method);
      this.countError(bad.reason);
      return;
    }
    this.write(bad.id, { error: classicError(ClassicErrors.MALFORMED, bad.reason) }, malformed, shape?.method);
  }

  /**
   * Writes the one reply of a request. `malformed`: the error reply refuses
   * a malformed message, reported to `handler.malformed` (with `method`, the
   * reply's message as reason) right after it is written and before it
   * counts toward maxErrors (whose close would come first otherwise).
   */
  private write(id: RpcId, reply: ClassicReply, malformed?: MalformedKind, method?: string): void {
    if (this.isClosed) return;
    if ('result' in reply) {
      try {
        this.peer.respond(id, reply.result, reply.extra);
      } catch (err) {
        this.logger.error({ err, id }, 'reply could not be encoded');
        this.write(id, { error: classicError(ClassicErrors.INTERNAL, 'the reply could not be encoded') });
      }
      return;
    }
    const { error } = reply;
    this.errorCounts.set(error.code, (this.errorCounts.get(error.code) ?? 0) + 1);
    try {
      this.peer.respondError(id, error);
    } catch (err) {
      this.logger.error({ err, id, code: error.code }, 'error reply could not be encoded');
      this.peer.respondError(id, classicError(ClassicErrors.INTERNAL));
    }
    if (malformed !== undefined) reportMalformed(this.handler, this.logger, malformed, error.message, method);
    if (this.countsTowardMaxErrors(error)) this.countError(error.message);
  }

  private countError(why: string): void {
    if (this.isClosed) return;
    this.countedErrors++;
    if (this.countedErrors >= this.options.maxErrors) {
      this.logger.warn({ last: why }, `maxErrors ${this.options.maxErrors} reached`);
      this.close(this.maxErrorsReason(why));
    }
  }

  /** Counts one request under `key` (a method name, or CLASSIC_UNKNOWN_METHOD_KEY). */
  protected countRequest(key: string): void {
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }

  private flushHeldJob(): void {
    const job = this.heldJob;
    if (job === undefined || !this.ready || this.isClosed) return;
    this.heldJob = undefined;
    this.sendNow(job);
  }

  private sendNow(job: EthClassicServerJob): boolean {
    if (!this.writeJob(job)) return false;
    this.jobCount++;
    return true;
  }

  private onClosed(info: CloseInfo): void {
    if (this.closedInfo !== undefined) return;
    const closed: CloseInfo = { reason: info.reason, byPeer: info.byPeer };
    this.closedInfo = closed;
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
