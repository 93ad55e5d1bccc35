import { Observable, ReplaySubject, Subject, Subscription } from 'rxjs';
import { LodeError } from '../errors';
import { type LodeLogger, silentLogger } from '../logger';
import type { CloseInfo, LineTransport } from '../transport/line-transport';
import type { RpcCodec, RpcErrorBody, RpcExtraMembers, RpcId, RpcMessage } from './messages';

/**
 * A request received from the peer; answer it with `respond` or `respondError`
 * using its `id`. `P` is the codec's params type (see {@link RpcMessage}).
 */
export interface IncomingRequest<P = unknown[]> {
  id: number | string;
  method: string;
  params: P;
  /** top-level members beyond the codec's own (EthProxy's `"worker"`), when the message had any */
  extra?: RpcExtraMembers;
}

/** A notification received from the peer (a message with `method` and a null or absent id). */
export interface IncomingNotification<P = unknown[]> {
  method: string;
  params: P;
  /** top-level members beyond the codec's own (Lode's ETChash `"algo"` hint), when the message had any */
  extra?: RpcExtraMembers;
}

/**
 * A line the codec could not decode, or a response whose id matches no
 * pending request. `id` is the message's id when one could be read, so that a
 * server can reply with an error carrying it.
 */
export interface InvalidLine {
  id: RpcId;
  reason: string;
  /** the error code the codec suggests for the reply (EIP-1571: 400), when it has one */
  code?: number;
  line: string;
}

/**
 * The callbacks of an {@link RpcPeer}'s owner (see {@link RpcPeer.handle}):
 * each is called just before the peer's watchers and the matching stream;
 * none may throw.
 */
export interface RpcPeerHandler<P = unknown[]> {
  request(req: IncomingRequest<P>): void;
  notification(n: IncomingNotification<P>): void;
  invalid(bad: InvalidLine): void;
  /** called once when the transport closes */
  closed(info: CloseInfo): void;
  /**
   * optional: the transport's framing error (a line over its length cap),
   * just before `framingErrors$` emits it; the transport closes right after,
   * so a reply written from inside it is still flushed
   */
  framingError?(err: LodeError): void;
}

/**
 * Callbacks of an observer of an {@link RpcPeer} that is not its owner (see
 * {@link RpcPeer.watch}): each, when present, is called after the owner's
 * {@link RpcPeerHandler} and before the matching stream emits; none may throw.
 */
export interface RpcPeerWatcher<P = unknown[]> {
  request?(req: IncomingRequest<P>): void;
  notification?(n: IncomingNotification<P>): void;
  invalid?(bad: InvalidLine): void;
  /** called once when the transport closes (at once when already closed); the watcher is then dropped */
  closed?(info: CloseInfo): void;
}

/** Options of an {@link RpcPeer}. */
export interface RpcPeerOptions {
  /** how long `request()` waits for the response, in ms; default 30000 */
  requestTimeoutMs?: number;
  /** requests awaiting a response at once; `request()` rejects beyond it; default 256 */
  maxPendingRequests?: number;
  /**
   * the first outgoing request id, and the one used again after
   * `maxRequestId`; an integer >= 0, default 1 (EIP-1571 clients: 0)
   */
  firstRequestId?: number;
  /**
   * the last outgoing request id before ids wrap to `firstRequestId`; a safe
   * integer >= firstRequestId, default Number.MAX_SAFE_INTEGER (EIP-1571: 65535)
   */
  maxRequestId?: number;
  logger?: LodeLogger;
}

/** Messages received by an {@link RpcPeer}, by kind; monotonically increasing. */
export interface RpcPeerCounters {
  requestsIn: number;
  notificationsIn: number;
  responsesIn: number;
  invalidIn: number;
}

interface Pending {
  method: string;
  id: number;
  timer: NodeJS.Timeout;
  resolve(result: unknown): void;
  reject(error: LodeError): void;
}

/**
 * One JSON-RPC endpoint over a {@link LineTransport}: the same class serves
 * the pool side (answering a miner) and the client side (asking a pool).
 *
 * Incoming messages are split into `requests$`, `notifications$` and
 * `invalid$`; responses settle the Promise of the matching `request()`.
 * Outgoing request ids count up from `firstRequestId` (default 1) per peer and
 * wrap from `maxRequestId` back to `firstRequestId`, skipping ids that still
 * await a response. When the transport closes,
 * every pending request rejects with LodeError('connection'), `closed$`
 * emits the transport's {@link CloseInfo}, and all streams complete; writes
 * after that are dropped silently (a late reply to a gone miner is not an
 * error).
 *
 * A session subscribes to the streams right after constructing the peer, or
 * links itself by callbacks ({@link RpcPeer.handle}; others observe with
 * {@link RpcPeer.watch}): lines are delivered by the transport as they
 * arrive and are not buffered. For each message the owner's handler is
 * called first, then the watchers in the order they were added, then the
 * stream emits.
 *
 * `P` is the codec's params type: `unknown[]` with the classic codec,
 * `Eip1571Params` with `eip1571Codec`. {@link RpcPeer.setCodec} swaps the
 * codec mid-stream (EIP-1571's switch to gzip after the `mining.hello` reply).
 *
 * @throws LodeError('config') from the constructor when `firstRequestId` or
 *   `maxRequestId` is not an integer, negative, unsafe, or first > max
 */
export class RpcPeer<P = unknown[]> {
  readonly counters: RpcPeerCounters = { requestsIn: 0, notificationsIn: 0, responsesIn: 0, invalidIn: 0 };

  // Made when a stream is first read: an owner linked by `handle()` needs none.
  private requestsSubject: Subject<IncomingRequest<P>> | undefined;
  private notificationsSubject: Subject<IncomingNotification<P>> | undefined;
  private invalidSubject: Subject<InvalidLine> | undefined;
  private closedSubject: ReplaySubject<CloseInfo> | undefined;
  private handler: RpcPeerHandler<P> | undefined;
  // Replaced, never mutated: a watcher may add or remove watchers while the array is walked.
  private watchers: ReadonlyArray<RpcPeerWatcher<P>> | undefined;
  // Made on the first request sent: a pool's peer rarely sends one.
  private pending: Map<string, Pending> | undefined;
  // Only for a transport without `attach`; ended on close.
  private subscription: Subscription | undefined;
  private readonly requestTimeoutMs: number;
  private readonly maxPendingRequests: number;
  private readonly logger: LodeLogger;
  private readonly firstRequestId: number;
  private readonly maxRequestId: number;
  private nextId: number;
  private currentCodec: RpcCodec<P>;
  private closeInfo: CloseInfo | undefined;

  constructor(
    private readonly transport: LineTransport,
    codec: RpcCodec<P>,
    options: RpcPeerOptions = {},
  ) {
    this.currentCodec = codec;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.maxPendingRequests = options.maxPendingRequests ?? 256;
    this.firstRequestId = options.firstRequestId ?? 1;
    this.maxRequestId = options.maxRequestId ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(this.firstRequestId) || this.firstRequestId < 0) {
      throw new LodeError('config', `firstRequestId is ${this.firstRequestId}, expected a safe integer >= 0`);
    }
    if (!Number.isSafeInteger(this.maxRequestId) || this.maxRequestId < this.firstRequestId) {
      throw new LodeError(
        'config',
        `maxRequestId is ${this.maxRequestId}, expected a safe integer >= firstRequestId (${this.firstRequestId})`,
      );
    }
    this.nextId = this.firstRequestId;
    this.logger = options.logger ?? silentLogger;

    // Callbacks when the transport takes them (StratumConnection): two
    // subscriptions per connection cost more than the rest of the link.
    const attached =
      transport.attach?.({
        line: (line) => this.onLine(line),
        framingError: (err) => this.handler?.framingError?.(err),
        closed: (info) => this.onClosed(info),
      }) ?? false;
    if (!attached) {
      const subscription = (this.subscription = new Subscription());
      subscription.add(transport.lines$.subscribe((line) => this.onLine(line)));
      subscription.add(transport.closed$.subscribe((info) => this.onClosed(info)));
    }
    // A transport that closed before we subscribed may not replay its close.
    if (transport.isClosed && this.closeInfo === undefined) {
      this.onClosed({ reason: 'transport already closed', byPeer: false });
    }
  }

  /** requests from the peer; each needs exactly one `respond`/`respondError`; completes on close */
  get requests$(): Observable<IncomingRequest<P>> {
    return (this.requestsSubject ??= this.stream<IncomingRequest<P>>()).asObservable();
  }

  /** notifications from the peer (no reply expected); completes on close */
  get notifications$(): Observable<IncomingNotification<P>> {
    return (this.notificationsSubject ??= this.stream<IncomingNotification<P>>()).asObservable();
  }

  /** lines that are not valid messages, and responses that match no pending request; completes on close */
  get invalid$(): Observable<InvalidLine> {
    return (this.invalidSubject ??= this.stream<InvalidLine>()).asObservable();
  }

  /** emits once when the transport closes (replayed to late subscribers), then completes */
  get closed$(): Observable<CloseInfo> {
    if (this.closedSubject === undefined) {
      this.closedSubject = new ReplaySubject<CloseInfo>(1);
      if (this.closeInfo !== undefined) {
        this.closedSubject.next(this.closeInfo);
        this.closedSubject.complete();
      }
    }
    return this.closedSubject.asObservable();
  }

  /**
   * Links the peer's owner (a dialect's server session) by callbacks instead
   * of subscriptions: each is called just before the watchers and the
   * matching stream, `framingError` (when given) just before
   * `framingErrors$` emits, and `closed` once (at once when already closed).
   * Cheaper per connection than four subscriptions; the streams still work
   * for anyone else.
   *
   * @returns false, linking nothing, when a handler is already attached
   */
  handle(handler: RpcPeerHandler<P>): boolean {
    if (this.handler !== undefined) return false;
    this.handler = handler;
    if (this.closeInfo !== undefined) {
      handler.closed(this.closeInfo);
      return true;
    }
    // A transport without `attach` reports framing errors only on its stream.
    const subscription = this.subscription;
    if (subscription !== undefined && handler.framingError !== undefined) {
      subscription.add(this.transport.framingErrors$.subscribe((err) => handler.framingError?.(err)));
    }
    return true;
  }

  /**
   * Adds an observer of the incoming messages and the close, by callbacks:
   * each message goes to the owner's handler ({@link RpcPeer.handle}) first,
   * then to the watchers in the order they were added, then to the streams.
   * Cheaper per connection than subscriptions (and reading a stream makes its
   * subject). Every watcher is dropped after its `closed`; a watcher added
   * after the close gets `closed` at once and is not kept. The same object
   * may be added twice and then hears everything twice.
   *
   * @returns a function that removes this watcher (once); idempotent, and a
   *   no-op after the close
   */
  watch(watcher: RpcPeerWatcher<P>): () => void {
    if (this.closeInfo !== undefined) {
      watcher.closed?.(this.closeInfo);
      return noop;
    }
    this.watchers = this.watchers === undefined ? [watcher] : [...this.watchers, watcher];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.unwatch(watcher);
    };
  }

  /** the transport's framing errors (overlong lines); the transport closes right after */
  get framingErrors$(): Observable<LodeError> {
    return this.transport.framingErrors$;
  }

  /** True once the transport has closed. */
  get isClosed(): boolean {
    return this.closeInfo !== undefined || this.transport.isClosed;
  }

  /** Requests sent and not yet answered. */
  get pendingRequests(): number {
    return this.pending?.size ?? 0;
  }

  /** The codec every line in and out goes through now. */
  get codec(): RpcCodec<P> {
    return this.currentCodec;
  }

  /**
   * Switches the codec: every line received or sent after this call goes
   * through `codec` (EIP-1571: `gzipLineCodec(eip1571Codec)` right after the
   * `mining.hello` reply that says `"encoding": "gzip"`). Lines already handed
   * to the transport are not re-encoded.
   *
   * A server switches right after `respond()` to the hello; a client switches
   * when the hello's Promise resolves, before it sends its next request (the
   * server sends nothing unsolicited before `mining.subscribe`).
   */
  setCodec(codec: RpcCodec<P>): void {
    this.currentCodec = codec;
  }

  /**
   * Sends a request and waits for its response.
   *
   * @returns the response's `result` (`undefined` when the response has no
   *   `result` member, EIP-1571's short success form `{"id":31}`)
   * @throws LodeError('protocol', <the peer's message>, {code, data}) when the peer answers with an error
   * @throws LodeError('protocol') at once when the codec cannot encode the params
   * @throws LodeError('connection') when no response arrives within `timeoutMs`
   *   (default `requestTimeoutMs`), when the connection closes first, when it is
   *   already closed, or at once when `maxPendingRequests` are already pending
   *   or every id from `firstRequestId` to `maxRequestId` awaits a response
   */
  request(method: string, params: P, timeoutMs = this.requestTimeoutMs): Promise<unknown> {
    if (this.isClosed) {
      return Promise.reject(
        new LodeError('connection', `cannot send ${method}: connection closed (${this.closeReason()})`),
      );
    }
    const pending = (this.pending ??= new Map<string, Pending>());
    if (pending.size >= this.maxPendingRequests) {
      return Promise.reject(
        new LodeError(
          'connection',
          `cannot send ${method}: ${pending.size} requests already await a response, the cap is ${this.maxPendingRequests}`,
        ),
      );
    }
    let id: number;
    let line: string;
    try {
      id = this.allocateId();
      line = this.currentCodec.encodeRequest(id, method, params);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(String(id));
        reject(new LodeError('connection', `${method} (id ${id}) got no response within ${timeoutMs} ms`));
      }, timeoutMs);
      // A pending request must not keep a process alive on its own; the socket does that.
      timer.unref();
      pending.set(String(id), { method, id, timer, resolve, reject });
      this.transport.send(line);
    });
  }

  /**
   * Sends a notification (no response expected), with `extra` top-level
   * members when the codec carries them. Dropped when closed.
   *
   * @throws LodeError('protocol') from the codec when it cannot encode the params
   */
  notify(method: string, params: P, extra?: RpcExtraMembers): void {
    if (!this.isClosed) this.transport.send(this.currentCodec.encodeNotification(method, params, extra));
  }

  /**
   * Answers request `id` with a result, with `extra` top-level members when
   * the codec carries them. Dropped when closed.
   *
   * @throws LodeError('protocol') from the codec when it cannot encode the id or result
   */
  respond(id: RpcId, result: unknown, extra?: RpcExtraMembers): void {
    if (!this.isClosed) this.transport.send(this.currentCodec.encodeResult(id, result, extra));
  }

  /**
   * Answers request `id` with an error, encoded by the codec. Dropped when closed.
   *
   * @throws LodeError('protocol') from the codec when it cannot encode the id or error
   */
  respondError(id: RpcId, error: RpcErrorBody): void {
    if (!this.isClosed) this.transport.send(this.currentCodec.encodeError(id, error));
  }

  /** Closes the transport with a reason that is logged and reported on `closed$`; idempotent. */
  close(reason: string): void {
    this.transport.close(reason);
  }

  /**
   * The next free id in [firstRequestId, maxRequestId]. At most
   * `pending.size` candidates are taken, so the loop ends; `request()` has
   * already checked the pending cap, and a range smaller than the cap is
   * reported rather than reused.
   */
  private allocateId(): number {
    const pending = this.pending;
    const size = pending?.size ?? 0;
    for (let tries = 0; tries <= size; tries++) {
      const id = this.nextId;
      this.nextId = id >= this.maxRequestId ? this.firstRequestId : id + 1;
      if (pending?.has(String(id)) !== true) return id;
    }
    throw new LodeError(
      'connection',
      `no free request id: all ${this.maxRequestId - this.firstRequestId + 1} ids from ${this.firstRequestId} to ${this.maxRequestId} await a response`,
    );
  }

  private onLine(line: string): void {
    let msg: RpcMessage<P>;
    const codec = this.currentCodec;
    try {
      msg = codec.decode(line);
    } catch (e) {
      // Codecs must not throw on peer input; treat one that does as an invalid line.
      msg = { type: 'invalid', id: null, reason: `codec ${codec.name} threw: ${(e as Error).message}` };
    }
    switch (msg.type) {
      case 'request': {
        this.counters.requestsIn++;
        const req: IncomingRequest<P> =
          msg.extra === undefined
            ? { id: msg.id, method: msg.method, params: msg.params }
            : { id: msg.id, method: msg.method, params: msg.params, extra: msg.extra };
        this.handler?.request(req);
        const watchers = this.watchers;
        if (watchers !== undefined) for (const w of watchers) w.request?.(req);
        this.requestsSubject?.next(req);
        return;
      }
      case 'notification': {
        this.counters.notificationsIn++;
        const n: IncomingNotification<P> =
          msg.extra === undefined ? { method: msg.method, params: msg.params } : { method: msg.method, params: msg.params, extra: msg.extra };
        this.handler?.notification(n);
        const watchers = this.watchers;
        if (watchers !== undefined) for (const w of watchers) w.notification?.(n);
        this.notificationsSubject?.next(n);
        return;
      }
      case 'response':
        this.counters.responsesIn++;
        this.onResponse(msg.id, msg.result, msg.error, line);
        return;
      case 'invalid':
        this.emitInvalid(msg.id, msg.reason, line, msg.code);
        return;
    }
  }

  private onResponse(id: RpcId, result: unknown, error: RpcErrorBody | null, line: string): void {
    // Keyed by String(id): some pools echo numeric ids back as strings.
    const pending = id === null ? undefined : this.pending?.get(String(id));
    if (pending === undefined) {
      this.emitInvalid(id, `response id ${JSON.stringify(id)} matches no pending request`, line);
      return;
    }
    this.pending?.delete(String(id));
    clearTimeout(pending.timer);
    if (error === null) {
      pending.resolve(result);
    } else {
      pending.reject(new LodeError('protocol', error.message, { code: error.code, data: error.data }));
    }
  }

  private emitInvalid(id: RpcId, reason: string, line: string, code?: number): void {
    this.counters.invalidIn++;
    this.logger.debug({ id, reason, code }, 'invalid line from peer');
    const bad: InvalidLine = code === undefined ? { id, reason, line } : { id, reason, code, line };
    this.handler?.invalid(bad);
    const watchers = this.watchers;
    if (watchers !== undefined) for (const w of watchers) w.invalid?.(bad);
    this.invalidSubject?.next(bad);
  }

  private onClosed(info: CloseInfo): void {
    if (this.closeInfo !== undefined) return;
    this.closeInfo = info;
    this.subscription?.unsubscribe();
    for (const p of this.pending?.values() ?? []) {
      clearTimeout(p.timer);
      p.reject(
        new LodeError('connection', `${p.method} (id ${p.id}) got no response: connection closed (${info.reason})`),
      );
    }
    this.pending?.clear();
    this.handler?.closed(info);
    const watchers = this.watchers;
    this.watchers = undefined;
    if (watchers !== undefined) for (const w of watchers) w.closed?.(info);
    this.closedSubject?.next(info);
    this.closedSubject?.complete();
    this.requestsSubject?.complete();
    this.notificationsSubject?.complete();
    this.invalidSubject?.complete();
  }

  /** Removes one occurrence of `watcher` (copy on write: a walk in progress keeps its array). */
  private unwatch(watcher: RpcPeerWatcher<P>): void {
    const watchers = this.watchers;
    if (watchers === undefined) return;
    const at = watchers.indexOf(watcher);
    if (at < 0) return;
    this.watchers = watchers.length === 1 ? undefined : [...watchers.slice(0, at), ...watchers.slice(at + 1)];
  }

  /** A stream's subject; completed at once when the peer is closed already. */
  private stream<T>(): Subject<T> {
    const subject = new Subject<T>();
    if (this.closeInfo !== undefined) subject.complete();
    return subject;
  }

  private closeReason(): string {
    return this.closeInfo?.reason ?? 'transport closed';
  }
}

function noop(): void {
  // nothing to remove: the peer had closed before the watcher was added
}
