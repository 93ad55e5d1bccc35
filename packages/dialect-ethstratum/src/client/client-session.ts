import { eip1571Codec, gzipLineCodec, LodeError, silentLogger, toHexNumber } from '@lode/stratum-core';
import type { Eip1571Params, LodeLogger, RpcId, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { ReplaySubject, Subject, Subscription, take, takeUntil } from 'rxjs';
import { EthStratumErrors } from '../errors';
import { decodeHelloResult, encodeHelloParams } from '../messages/hello';
import type { EthHelloResult } from '../messages/hello';
import { readLenientHex } from '../messages/lenient-hex';
import { DEFAULT_ALGO, DEFAULT_TARGET, EthMethods, NONCE_BYTES } from '../messages/methods';
import type { EthPoolHashrate } from '../messages/pool-hashrate';
import type { EthReconnect } from '../messages/reconnect';
import { show } from '../messages/show';
import type { EthCloseInfo } from '../close-info';
import type {
  EthClientJob,
  EthClientMethodContext,
  EthClientMethodHandler,
  EthClientSessionState,
  EthStagedSet,
} from './client-context';
import { handleBye } from './handlers/bye';
import { handleNotify } from './handlers/notify';
import { handlePoolHashrate } from './handlers/pool-hashrate';
import { handleReconnect } from './handlers/reconnect';
import { handleSet } from './handlers/set';

/** The pool's messages this session understands. */
const METHODS: ReadonlyMap<string, EthClientMethodHandler> = new Map<string, EthClientMethodHandler>([
  [EthMethods.SET, handleSet],
  [EthMethods.NOTIFY, handleNotify],
  [EthMethods.RECONNECT, handleReconnect],
  [EthMethods.HASHRATE, handlePoolHashrate],
  [EthMethods.BYE, handleBye],
]);

/** Options of an EthStratumClientSession. */
export interface EthStratumClientSessionOptions {
  logger?: LodeLogger;
  /**
   * send `mining.noop` when nothing was sent for the server's timeout minus
   * 5 s (half the timeout when it is 10 s or less), as ethminer does; default true
   */
  keepalive?: boolean;
}

/** The outcome of one submitted share. */
export interface EthSubmitOutcome {
  /** true when the pool credits the share (2xx error codes included, as ethminer reads them) */
  accepted: boolean;
  /** true when accepted but stale (a 2xx error code, e.g. 202 "Stale") */
  stale: boolean;
  /** the error code, when the reply carried one (202, 404, 406, 409, 410, 414, ...) */
  code?: number;
  message?: string;
}

/** What `subscribe()` found. */
export interface EthSubscription {
  sessionId: string;
  /** true when the pool resumed the requested session (same id back): keep the old worker tokens */
  resumed: boolean;
}

/** Per-session counters, monotonically increasing; a snapshot. */
export interface EthStratumClientCounters {
  /** jobs emitted on jobs$ */
  jobs: number;
  /** pool messages dropped as malformed (reported on errors$) */
  malformed: number;
  /** pool messages with a method this session does not know */
  unknownMethods: number;
  /** `mining.noop` keepalives sent */
  keepalives: number;
}

function defaultStaged(): EthStagedSet {
  return { target: DEFAULT_TARGET, algo: DEFAULT_ALGO, extranonce: Buffer.alloc(0) };
}

/**
 * The miner side of one EthereumStratum/2.0.0 (EIP-1571) connection.
 *
 * Build its peer as `new RpcPeer<Eip1571Params>(transport, eip1571Codec,
 * {firstRequestId: 0, maxRequestId: 65535})`: EIP-1571 ids are integers
 * 0..65535, and the peer wraps them.
 *
 * - `hello()` first; it switches the peer to gzip when the pool says so.
 * - `mining.set` values are staged and bound to the next `mining.notify`:
 *   each job carries its own epoch, target, algo and extranonce (DESIGN
 *   "Difficulty belongs to the job"). Defaults until set: the spec's target
 *   0x00000000ffff0000..., "ethash", no extranonce; a job before any epoch
 *   is reported on `errors$` and skipped.
 * - Subscribe to `jobs$` before `authorize()`: a pool sends the first job
 *   right behind the authorize reply.
 * - A malformed pool message is counted, logged and reported on `errors$`,
 *   never thrown; a pool request (with an id) is answered, unknown ones with 405.
 * - Keepalive: `mining.noop` when nothing was sent for the hello timeout minus 5 s.
 * - `mining.bye` from the pool closes the connection (`closed$` says `bye`).
 * - Every stream completes when the connection closes; timers are cleared.
 */
export class EthStratumClientSession {
  private readonly logger: LodeLogger;
  private readonly keepaliveEnabled: boolean;
  private readonly state: EthClientSessionState = { staged: defaultStaged(), setsApplied: 0 };
  private readonly ctx: EthClientMethodContext;
  private readonly subscriptions = new Subscription();
  private readonly jobsSubject = new Subject<EthClientJob>();
  private readonly reconnectSubject = new Subject<EthReconnect>();
  private readonly hashrateSubject = new Subject<EthPoolHashrate>();
  private readonly errorsSubject = new Subject<LodeError>();
  private readonly closedSubject = new ReplaySubject<EthCloseInfo>(1);
  private helloResult: EthHelloResult | undefined;
  private keepaliveMs: number | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private byeSent = false;
  private byeReceived = false;
  private closed = false;
  private jobCount = 0;
  private malformedCount = 0;
  private unknownCount = 0;
  private keepaliveCount = 0;

  /** Jobs in arrival order, each bound to the mining.set values received before it. */
  readonly jobs$: Observable<EthClientJob> = this.jobsSubject.asObservable();
  /** The pool's `mining.reconnect`: where to go (port as a number) and whether the session resumes there. */
  readonly reconnect$: Observable<EthReconnect> = this.reconnectSubject.asObservable();
  /** The pool's `mining.hashrate` notifications: its figures for this session. */
  readonly hashrate$: Observable<EthPoolHashrate> = this.hashrateSubject.asObservable();
  /** Malformed pool messages (a bad mining.set, a notify before any epoch, an unreadable line), as LodeError('protocol'). */
  readonly errors$: Observable<LodeError> = this.errorsSubject.asObservable();
  /** Emits once when the connection closes (either side), with `bye`, then completes. */
  readonly closed$: Observable<EthCloseInfo> = this.closedSubject.asObservable();

  constructor(
    private readonly peer: RpcPeer<Eip1571Params>,
    options: EthStratumClientSessionOptions = {},
  ) {
    this.logger = (options.logger ?? silentLogger).child({ dialect: 'ethstratum', side: 'client' });
    this.keepaliveEnabled = options.keepalive ?? true;
    this.ctx = {
      state: this.state,
      emitJob: (job) => {
        this.jobCount++;
        this.jobsSubject.next(job);
      },
      emitReconnect: (r) => this.reconnectSubject.next(r),
      emitPoolHashrate: (r) => this.hashrateSubject.next(r),
      byeReceived: () => {
        this.byeReceived = true;
        this.close('mining.bye from the pool');
      },
    };

    const closed$ = peer.closed$;
    this.subscriptions.add(closed$.pipe(take(1)).subscribe((info) => this.onClosed(info)));
    this.subscriptions.add(
      peer.notifications$.pipe(takeUntil(closed$)).subscribe((n) => this.dispatch(n.method, n.params, undefined)),
    );
    this.subscriptions.add(peer.requests$.pipe(takeUntil(closed$)).subscribe((r) => this.dispatch(r.method, r.params, r.id)));
    this.subscriptions.add(
      peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => {
        this.reportMalformed(new LodeError('protocol', `invalid line from the pool: ${bad.reason}`, { code: bad.code }));
      }),
    );
  }

  /** The server's hello reply, undefined before `hello()` resolves. */
  get server(): EthHelloResult | undefined {
    return this.helloResult;
  }

  /** The values the next job will carry (a copy). */
  get staged(): EthStagedSet {
    const s = this.state.staged;
    return { ...s, extranonce: Buffer.from(s.extranonce) };
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closed || this.peer.isClosed;
  }

  /** A snapshot of this session's counters. */
  get counters(): EthStratumClientCounters {
    return {
      jobs: this.jobCount,
      malformed: this.malformedCount,
      unknownMethods: this.unknownCount,
      keepalives: this.keepaliveCount,
    };
  }

  /**
   * Sends `mining.hello {agent, host, port (hex), proto: "EthereumStratum/2.0.0"}`.
   * When the reply says `"encoding": "gzip"` the peer switches to
   * `gzipLineCodec(eip1571Codec)` before anything else is sent. Starts the keepalive.
   *
   * @param port the port the miner dialled, 1..65535 (virtual hosting)
   * @returns the reply: proto, encoding, resume, timeoutSeconds, maxErrors, node
   * @throws LodeError('protocol') on an error reply (with its `code`, e.g.
   *   400 "Bad protocol request"), a reply lacking any of its six members or
   *   with another proto, or a second call; LodeError('connection') on timeout or close
   * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello"; facts/ethash.md §1.3
   */
  async hello(req: { agent: string; host: string; port: number }): Promise<EthHelloResult> {
    if (this.helloResult !== undefined) throw new LodeError('protocol', 'mining.hello was already answered on this connection');
    const result = decodeHelloResult(await this.request(EthMethods.HELLO, encodeHelloParams(req)));
    // The pool sends nothing unsolicited before mining.subscribe, so switching here is in time.
    if (result.encoding === 'gzip') this.peer.setCodec(gzipLineCodec(eip1571Codec));
    this.helloResult = result;
    if (this.keepaliveEnabled && result.timeoutSeconds > 0) {
      const t = result.timeoutSeconds;
      this.keepaliveMs = (t > 10 ? t - 5 : t / 2) * 1000;
      this.armKeepalive();
    }
    return result;
  }

  /**
   * Sends `mining.subscribe`, without params for a new session or with the
   * id of a session to resume.
   *
   * The staged values start over from the defaults for a new session; on a
   * resume attempt they start from `previous` (the values the old
   * connection ended with: "the client MUST continue to use values lastly
   * received"), and go back to the defaults when the pool answers with a new
   * id, unless the pool already sent `mining.set` for the new session.
   *
   * @returns the session id and whether the requested session was resumed
   * @throws LodeError('protocol') on an error reply or a result that is not a
   *   non-empty string; LodeError('connection') on timeout or close
   * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Session Subscription"
   */
  async subscribe(sessionId?: string, previous?: EthStagedSet): Promise<EthSubscription> {
    this.state.staged = sessionId !== undefined && previous !== undefined ? { ...previous, extranonce: Buffer.from(previous.extranonce) } : defaultStaged();
    const setsBefore = this.state.setsApplied;
    const result = await this.request(EthMethods.SUBSCRIBE, sessionId);
    if (typeof result !== 'string' || result.length === 0) {
      throw new LodeError('protocol', `mining.subscribe answered ${show(result)}, expected a session id string`);
    }
    const resumed = sessionId !== undefined && result === sessionId;
    if (!resumed && this.state.setsApplied === setsBefore) this.state.staged = defaultStaged();
    return { sessionId: result, resumed };
  }

  /**
   * Sends `mining.authorize [workerName, password]`.
   *
   * @returns the worker token to submit and report hashrate with ("w-1")
   * @throws LodeError('protocol') when the pool refuses (with its `code`: 303
   *   refused, 302 not subscribed, 400 bad params) or answers anything but a
   *   non-empty string; LodeError('connection') on timeout or close
   * @see specs/003_fafafa51dc5fa36a.txt "Workers Authorization"
   */
  async authorize(workerName: string, password: string): Promise<string> {
    const token = await this.request(EthMethods.AUTHORIZE, [workerName, password]);
    if (typeof token !== 'string' || token.length === 0) {
      throw new LodeError('protocol', `mining.authorize answered ${show(token)}, expected a worker token string`);
    }
    return token;
  }

  /**
   * Sends `mining.submit [jobId, minerNonce (hex), token]`: only the nonce
   * bytes after the job's extranonce (8 - extranonce.length of them).
   *
   * @returns accepted (`{"id":n}`), accepted-stale (any 2xx error code, as
   *   ethminer reads it) or rejected, with the pool's code and message
   * @throws LodeError('protocol') if minerNonce is not 1..8 bytes or cannot
   *   be encoded; LodeError('connection') on timeout or close
   * @see specs/003_fafafa51dc5fa36a.txt "Solution submission"; facts/ethash.md §1.3
   */
  async submit(jobId: string, minerNonce: Buffer, token: string): Promise<EthSubmitOutcome> {
    if (!Buffer.isBuffer(minerNonce) || minerNonce.length < 1 || minerNonce.length > NONCE_BYTES) {
      throw new LodeError('protocol', `miner nonce must be 1..${NONCE_BYTES} bytes, got ${show(minerNonce)}`);
    }
    try {
      await this.request(EthMethods.SUBMIT, [jobId, minerNonce.toString('hex'), token]);
      return { accepted: true, stale: false };
    } catch (err) {
      if (!LodeError.is(err, 'protocol') || err.code === undefined) throw err;
      const accepted = err.code >= 200 && err.code < 300;
      return { accepted, stale: accepted, code: err.code, message: err.message };
    }
  }

  /**
   * Sends `mining.hashrate [hashrate (hex), token]`.
   *
   * @param hashrate hashes per second, an integer >= 0
   * @returns the pool's own figure for that worker when it answers one, else undefined
   * @throws LodeError('protocol') on an error reply (220 too many requests,
   *   301 unknown token, ...) or a negative hashrate; LodeError('connection') on timeout or close
   * @see specs/003_fafafa51dc5fa36a.txt "Hashrate"
   */
  async reportHashrate(hashrate: bigint, token: string): Promise<bigint | undefined> {
    const result = await this.request(EthMethods.HASHRATE, [toHexNumber(hashrate), token]);
    if (result === undefined || result === null) return undefined;
    if (Array.isArray(result) && result.length >= 1) return readLenientHex(result[0], 'mining.hashrate result');
    this.logger.debug({ result: show(result) }, 'mining.hashrate answered something other than [hashrate, token]; ignored');
    return undefined;
  }

  /**
   * Sends `mining.noop` and waits for the acknowledgement.
   *
   * @throws LodeError('protocol') on an error reply; LodeError('connection') on timeout or close
   */
  async noop(): Promise<void> {
    await this.request(EthMethods.NOOP, undefined);
  }

  /** Sends `mining.bye` and closes: the session is abandoned (no resume). */
  bye(): void {
    if (this.isClosed) return;
    this.byeSent = true;
    this.peer.notify(EthMethods.BYE, undefined);
    this.close('mining.bye sent');
  }

  /** Closes the connection; every stream completes. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.peer.close(reason);
  }

  private request(method: string, params: Eip1571Params): Promise<unknown> {
    const answer = this.peer.request(method, params);
    this.armKeepalive();
    return answer;
  }

  /** (Re)starts the keepalive: it fires when nothing was sent for `keepaliveMs`. */
  private armKeepalive(): void {
    if (this.keepaliveMs === undefined || this.isClosed) return;
    if (this.keepaliveTimer !== undefined) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = setTimeout(() => {
      this.keepaliveTimer = undefined;
      this.keepaliveCount++;
      this.noop().catch((err: unknown) => this.logger.debug({ err }, 'keepalive mining.noop failed'));
    }, this.keepaliveMs);
    this.keepaliveTimer.unref();
  }

  private dispatch(method: string, params: unknown, id: RpcId | undefined): void {
    if (this.isClosed) return;
    const handler = METHODS.get(method);
    if (handler === undefined) {
      this.unknownCount++;
      this.logger.debug({ method: show(method) }, 'unknown method from the pool');
      if (id !== undefined && id !== null) {
        this.peer.respondError(id, { code: EthStratumErrors.METHOD_NOT_FOUND.code, message: `${EthStratumErrors.METHOD_NOT_FOUND.message}: ${show(method)}` });
      }
      return;
    }
    try {
      handler(this.ctx, params);
    } catch (err) {
      const error = LodeError.is(err) ? err : new LodeError('protocol', `${method} failed: ${String(err)}`, { cause: err });
      this.reportMalformed(error);
      if (id !== undefined && id !== null) {
        this.peer.respondError(id, { code: EthStratumErrors.BAD_REQUEST.code, message: `${EthStratumErrors.BAD_REQUEST.message}: ${error.message}` });
      }
      return;
    }
    if (id !== undefined && id !== null && !this.isClosed) this.peer.respond(id, undefined);
  }

  private reportMalformed(err: LodeError): void {
    this.malformedCount++;
    this.logger.warn({ message: err.message }, 'malformed message from the pool dropped');
    this.errorsSubject.next(err);
  }

  private onClosed(info: { reason: string; byPeer: boolean }): void {
    if (this.closed) return;
    this.closed = true;
    if (this.keepaliveTimer !== undefined) clearTimeout(this.keepaliveTimer);
    this.keepaliveTimer = undefined;
    this.subscriptions.unsubscribe();
    this.closedSubject.next({
      reason: info.reason,
      byPeer: this.byeReceived ? true : info.byPeer,
      bye: this.byeReceived || this.byeSent,
    });
    this.closedSubject.complete();
    this.jobsSubject.complete();
    this.reconnectSubject.complete();
    this.hashrateSubject.complete();
    this.errorsSubject.complete();
  }
}
