import { Observable, ReplaySubject, Subject, Subscription } from 'rxjs';
import { LodeError } from '../errors';
import { type LodeLogger, silentLogger } from '../logger';
import type { CloseInfo, LineTransport } from '../transport/line-transport';
import type { RpcCodec, RpcErrorBody, RpcId, RpcMessage } from './messages';

/** A request received from the peer; answer it with `respond` or `respondError` using its `id`. */
export interface IncomingRequest {
  id: number | string;
  method: string;
  params: unknown[];
}

/** A notification received from the peer (a message with `method` and a null id). */
export interface IncomingNotification {
  method: string;
  params: unknown[];
}

/**
 * A line the codec could not decode, or a response whose id matches no
 * pending request. `id` is the message's id when one could be read, so that a
 * server can reply with an error carrying it.
 */
export interface InvalidLine {
  id: RpcId;
  reason: string;
  line: string;
}

/** Options of an {@link RpcPeer}. */
export interface RpcPeerOptions {
  /** how long `request()` waits for the response, in ms; default 30000 */
  requestTimeoutMs?: number;
  /** requests awaiting a response at once; `request()` rejects beyond it; default 256 */
  maxPendingRequests?: number;
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
 * Outgoing request ids are 1, 2, 3, … per peer. When the transport closes,
 * every pending request rejects with LodeError('connection'), `closed$`
 * emits the transport's {@link CloseInfo}, and all streams complete; writes
 * after that are dropped silently (a late reply to a gone miner is not an
 * error).
 *
 * A session subscribes to the streams right after constructing the peer:
 * lines are delivered by the transport as they arrive and are not buffered.
 */
export class RpcPeer {
  /** requests from the peer; each needs exactly one `respond`/`respondError` */
  readonly requests$: Observable<IncomingRequest>;
  /** notifications from the peer (no reply expected) */
  readonly notifications$: Observable<IncomingNotification>;
  /** lines that are not valid messages, and responses that match no pending request */
  readonly invalid$: Observable<InvalidLine>;
  /** emits once when the transport closes (replayed to late subscribers), then completes */
  readonly closed$: Observable<CloseInfo>;
  /** the transport's framing errors (overlong lines); the transport closes right after */
  readonly framingErrors$: Observable<LodeError>;
  readonly counters: RpcPeerCounters = { requestsIn: 0, notificationsIn: 0, responsesIn: 0, invalidIn: 0 };

  private readonly requestsSubject = new Subject<IncomingRequest>();
  private readonly notificationsSubject = new Subject<IncomingNotification>();
  private readonly invalidSubject = new Subject<InvalidLine>();
  private readonly closedSubject = new ReplaySubject<CloseInfo>(1);
  private readonly pending = new Map<string, Pending>();
  private readonly subscription = new Subscription();
  private readonly requestTimeoutMs: number;
  private readonly maxPendingRequests: number;
  private readonly logger: LodeLogger;
  private nextId = 1;
  private closeInfo: CloseInfo | undefined;

  constructor(
    private readonly transport: LineTransport,
    private readonly codec: RpcCodec,
    options: RpcPeerOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.maxPendingRequests = options.maxPendingRequests ?? 256;
    this.logger = options.logger ?? silentLogger;
    this.requests$ = this.requestsSubject.asObservable();
    this.notifications$ = this.notificationsSubject.asObservable();
    this.invalid$ = this.invalidSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
    this.framingErrors$ = transport.framingErrors$;

    this.subscription.add(transport.lines$.subscribe((line) => this.onLine(line)));
    this.subscription.add(transport.closed$.subscribe((info) => this.onClosed(info)));
    // A transport that closed before we subscribed may not replay its close.
    if (transport.isClosed && this.closeInfo === undefined) {
      this.onClosed({ reason: 'transport already closed', byPeer: false });
    }
  }

  /** True once the transport has closed. */
  get isClosed(): boolean {
    return this.closeInfo !== undefined || this.transport.isClosed;
  }

  /** Requests sent and not yet answered. */
  get pendingRequests(): number {
    return this.pending.size;
  }

  /**
   * Sends a request and waits for its response.
   *
   * @returns the response's `result`
   * @throws LodeError('protocol', <the peer's message>, {code, data}) when the peer answers with an error
   * @throws LodeError('connection') when no response arrives within `timeoutMs`
   *   (default `requestTimeoutMs`), when the connection closes first, when it is
   *   already closed, or at once when `maxPendingRequests` are already pending
   */
  request(method: string, params: unknown[], timeoutMs = this.requestTimeoutMs): Promise<unknown> {
    if (this.isClosed) {
      return Promise.reject(
        new LodeError('connection', `cannot send ${method}: connection closed (${this.closeReason()})`),
      );
    }
    if (this.pending.size >= this.maxPendingRequests) {
      return Promise.reject(
        new LodeError(
          'connection',
          `cannot send ${method}: ${this.pending.size} requests already await a response, the cap is ${this.maxPendingRequests}`,
        ),
      );
    }
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(String(id));
        reject(new LodeError('connection', `${method} (id ${id}) got no response within ${timeoutMs} ms`));
      }, timeoutMs);
      // A pending request must not keep a process alive on its own; the socket does that.
      timer.unref();
      this.pending.set(String(id), { method, id, timer, resolve, reject });
      this.transport.send(this.codec.encodeRequest(id, method, params));
    });
  }

  /** Sends a notification (no response expected). Dropped when closed. */
  notify(method: string, params: unknown[]): void {
    if (!this.isClosed) this.transport.send(this.codec.encodeNotification(method, params));
  }

  /** Answers request `id` with a result. Dropped when closed. */
  respond(id: RpcId, result: unknown): void {
    if (!this.isClosed) this.transport.send(this.codec.encodeResult(id, result));
  }

  /** Answers request `id` with an error, encoded by the codec. Dropped when closed. */
  respondError(id: RpcId, error: RpcErrorBody): void {
    if (!this.isClosed) this.transport.send(this.codec.encodeError(id, error));
  }

  /** Closes the transport with a reason that is logged and reported on `closed$`; idempotent. */
  close(reason: string): void {
    this.transport.close(reason);
  }

  private onLine(line: string): void {
    let msg: RpcMessage;
    try {
      msg = this.codec.decode(line);
    } catch (e) {
      // Codecs must not throw on peer input; treat one that does as an invalid line.
      msg = { type: 'invalid', id: null, reason: `codec ${this.codec.name} threw: ${(e as Error).message}` };
    }
    switch (msg.type) {
      case 'request':
        this.counters.requestsIn++;
        this.requestsSubject.next({ id: msg.id, method: msg.method, params: msg.params });
        return;
      case 'notification':
        this.counters.notificationsIn++;
        this.notificationsSubject.next({ method: msg.method, params: msg.params });
        return;
      case 'response':
        this.counters.responsesIn++;
        this.onResponse(msg.id, msg.result, msg.error, line);
        return;
      case 'invalid':
        this.emitInvalid(msg.id, msg.reason, line);
        return;
    }
  }

  private onResponse(id: RpcId, result: unknown, error: RpcErrorBody | null, line: string): void {
    // Keyed by String(id): some pools echo numeric ids back as strings.
    const pending = id === null ? undefined : this.pending.get(String(id));
    if (pending === undefined) {
      this.emitInvalid(id, `response id ${JSON.stringify(id)} matches no pending request`, line);
      return;
    }
    this.pending.delete(String(id));
    clearTimeout(pending.timer);
    if (error === null) {
      pending.resolve(result);
    } else {
      pending.reject(new LodeError('protocol', error.message, { code: error.code, data: error.data }));
    }
  }

  private emitInvalid(id: RpcId, reason: string, line: string): void {
    this.counters.invalidIn++;
    this.logger.debug({ id, reason }, 'invalid line from peer');
    this.invalidSubject.next({ id, reason, line });
  }

  private onClosed(info: CloseInfo): void {
    if (this.closeInfo !== undefined) return;
    this.closeInfo = info;
    this.subscription.unsubscribe();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(
        new LodeError('connection', `${p.method} (id ${p.id}) got no response: connection closed (${info.reason})`),
      );
    }
    this.pending.clear();
    this.closedSubject.next(info);
    this.closedSubject.complete();
    this.requestsSubject.complete();
    this.notificationsSubject.complete();
    this.invalidSubject.complete();
  }

  private closeReason(): string {
    return this.closeInfo?.reason ?? 'transport closed';
  }
}
