import { invalidLineShape, lazyChildLogger, reportJsonRpcErrorReply, reportMalformed, silentLogger, StratumErrorCodes } from '@lode/stratum-core';
import type {
  CloseInfo,
  InvalidLine,
  LodeError,
  LodeLogger,
  RpcId,
  RpcPeer,
} from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { Subscription, take, takeUntil } from 'rxjs';
import { WarthogErrorCodes } from '../errors';
import { preview } from '../hex';
import { encodeDifficultyParams, encodeNotifyParams, encodeReconnectParams, WarthogMethods } from '../messages';
import type { WarthogNotifyParams } from '../messages';
import { handleAuthorize } from './handlers/authorize';
import { handleExtranonceSubscribe } from './handlers/extranonce-subscribe';
import { handleSubmit } from './handlers/submit';
import { handleSubscribe } from './handlers/subscribe';
import { handleSuggestDifficulty } from './handlers/suggest-difficulty';
import { fail } from './method-context';
import type { MethodReply, ServerMethodContext, ServerMethodHandler, ServerSessionState } from './method-context';
import type { WarthogServerHandler, WarthogServerSessionOptions } from './server-handler';
import { SubscribeGate } from './subscribe-gate';
import type { GatedKind } from './subscribe-gate';

/** The miner's requests this session answers, by method. A Map, so "constructor" is not a method. */
const METHODS: ReadonlyMap<string, ServerMethodHandler> = new Map<string, ServerMethodHandler>([
  [WarthogMethods.SUBSCRIBE, handleSubscribe],
  [WarthogMethods.AUTHORIZE, handleAuthorize],
  [WarthogMethods.SUBMIT, handleSubmit],
  [WarthogMethods.EXTRANONCE_SUBSCRIBE, handleExtranonceSubscribe],
  [WarthogMethods.SUGGEST_DIFFICULTY, handleSuggestDifficulty],
]);

/** The dialect session's logger bindings, shared by every session. */
const LOG_BINDINGS = { dialect: 'warthog', side: 'server' };

/** The key under which requests for methods this session does not know are counted. */
export const WARTHOG_UNKNOWN_METHOD_KEY = 'unknown';

/** Per-session counters, monotonically increasing; a snapshot. */
export interface WarthogServerCounters {
  /** requests by method; methods the session does not know count under "unknown" (keeps the map bounded) */
  requests: Record<string, number>;
  /** error replies by code (20..25, -32700..-32600) */
  errors: Record<number, number>;
  /** lines that were not valid JSON-RPC messages */
  invalidLines: number;
  /** lines over the transport's length cap */
  framingErrors: number;
}

/**
 * The pool side of one Warthog stratum connection: handshake and dispatch.
 * It validates every miner request precisely, passes typed requests to its
 * {@link WarthogServerHandler}, and writes exactly one reply per request id,
 * unknown methods (-32601, the method named) and unreadable lines included
 * (field-notes.md §6 "Robustness"; the node's solo stratum stays silent).
 *
 * Wire guarantees (facts/warthog.md §7, §8 rule 8; what janusminer requires):
 * - every success reply carries `"error": null`, every error reply
 *   `"result": null` and `[code, message, null]`; notifications carry `"id": null`;
 * - `mining.notify` has 7 params with the version as 8 hex digits;
 * - `mining.set_difficulty` carries the difficulty as a JSON number
 *   (fractions kept); the share target is 1/difficulty (no 2^32).
 *
 * Session guarantees:
 * - Replies go out in the order the requests came in (requests are handled
 *   one at a time; at most `maxPendingRequests` wait, one more closes the
 *   connection).
 * - The subscribe reply goes out before any server message: `sendDifficulty`,
 *   `sendNotify` and `reconnect` called earlier (even from inside
 *   `handler.subscribe`) are queued, bounded, and flushed right after it.
 * - A malformed line gets the classic codec's error (-32700 / -32600, with
 *   the request's id when it could be read) and the connection stays up; a
 *   line over the transport's cap is answered -32600 with id null, then the
 *   transport closes.
 * - Every subscription ends when the peer closes; `handler.closed` is called once.
 * - Every malformed message (overlong or undecodable line, unknown method,
 *   wrong params, second subscribe) is told to `handler.malformed` once,
 *   right after its error reply; share rejections never are.
 *
 * Method handlers live in `server/handlers/`, one file per method.
 */
export class WarthogServerSession {
  private readonly logger: LodeLogger;
  private readonly state: ServerSessionState = {
    subscribe: 'none',
    authorizedWorkers: new Set<string>(),
    extranonceSubscribed: false,
  };
  private readonly ctx: ServerMethodContext;
  private readonly gate: SubscribeGate;
  private readonly maxPending: number;
  // Only when another owner holds the peer's callbacks (see the constructor).
  private subscriptions: Subscription | undefined;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private closedInfo: CloseInfo | undefined;
  private readonly requestCounts = new Map<string, number>();
  private readonly errorCounts = new Map<number, number>();
  private invalidLines = 0;
  private framingErrorCount = 0;

  /**
   * @param peer the connection, decoding with `classicCodec` from @lode/stratum-core
   * @param handler the pool's answers to subscribe, authorize and submit
   * @param options logger and bounds
   */
  constructor(
    private readonly peer: RpcPeer,
    private readonly handler: WarthogServerHandler,
    options: WarthogServerSessionOptions = {},
  ) {
    // No pino child per session: the bindings go into each log call (lazyChildLogger).
    this.logger = lazyChildLogger(options.logger ?? silentLogger, LOG_BINDINGS);
    this.maxPending = options.maxPendingRequests ?? 128;
    this.gate = new SubscribeGate(options.maxQueuedBeforeSubscribe ?? 64);
    this.ctx = { handler, state: this.state, logger: this.logger, maxWorkers: options.maxWorkers ?? 256 };

    // Linked by callbacks (RpcPeer.handle): five subscriptions per session
    // cost more than the rest of the session. A peer already handled by
    // another owner gets plain subscriptions, all ended on close.
    const linked = peer.handle({
      request: (req) => this.enqueue(() => this.answer(req.id, req.method, req.params)),
      notification: (n) => this.enqueue(() => this.onNotification(n.method, n.params)),
      invalid: (bad) => this.onInvalid(bad),
      closed: (info) => this.onClosed(info),
      framingError: (err) => this.onFramingError(err),
    });
    if (linked) return;
    const subs = (this.subscriptions = new Subscription());
    const closed$ = peer.closed$;
    subs.add(closed$.pipe(take(1)).subscribe((info) => this.onClosed(info)));
    subs.add(
      peer.requests$
        .pipe(takeUntil(closed$))
        .subscribe((req) => this.enqueue(() => this.answer(req.id, req.method, req.params))),
    );
    subs.add(
      peer.notifications$
        .pipe(takeUntil(closed$))
        .subscribe((n) => this.enqueue(() => this.onNotification(n.method, n.params))),
    );
    subs.add(peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => this.onInvalid(bad)));
    subs.add(peer.framingErrors$.pipe(takeUntil(closed$)).subscribe((err) => this.onFramingError(err)));
  }

  /** Emits once when the connection closes (either side), then completes. */
  get closed$(): Observable<CloseInfo> {
    return this.peer.closed$;
  }

  /** True once the subscribe reply has been written. */
  get subscribed(): boolean {
    return this.state.subscribe === 'done' && this.gate.isOpen;
  }

  /** The connection's extranonce1 (raw bytes), undefined before subscribe. */
  get extranonce1(): Buffer | undefined {
    return this.state.subscription?.extranonce1;
  }

  /** Bytes of extranonce2 the miner rolls, undefined before subscribe. */
  get extranonce2Size(): number | undefined {
    return this.state.subscription?.extranonce2Size;
  }

  /** The session id given in the subscribe reply, undefined before subscribe. */
  get sessionId(): string | undefined {
    return this.state.subscription?.sessionId;
  }

  /** The user agent from `mining.subscribe` (at most 256 characters), if the miner sent one. */
  get userAgent(): string | undefined {
    return this.state.userAgent;
  }

  /** Worker names authorized on this connection. */
  get authorizedWorkers(): ReadonlySet<string> {
    return this.state.authorizedWorkers;
  }

  /** The worker authorized last: the one 4-parameter submits are credited to; undefined before any authorize. */
  get currentWorker(): string | undefined {
    return this.state.lastAuthorized;
  }

  /** True once the miner sent `mining.extranonce.subscribe`. */
  get extranonceSubscribed(): boolean {
    return this.state.extranonceSubscribed;
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closedInfo !== undefined || this.peer.isClosed;
  }

  /** A snapshot of this session's counters. */
  get counters(): WarthogServerCounters {
    return {
      requests: Object.fromEntries(this.requestCounts),
      errors: Object.fromEntries(this.errorCounts),
      invalidLines: this.invalidLines,
      framingErrors: this.framingErrorCount,
    };
  }

  /**
   * Sends `mining.set_difficulty [difficulty]`. The share target is
   * 1/difficulty (no 2^32 factor; facts/warthog.md §3). Miners apply it to the
   * next notify (DESIGN "Difficulty belongs to the job"), so send it before
   * the job it is meant for. Fractions go out as JSON numbers.
   *
   * @param difficulty share difficulty (not a target), finite and > 0
   * @throws LodeError('protocol') if difficulty is not finite and positive
   */
  sendDifficulty(difficulty: number): void {
    this.emit('difficulty', WarthogMethods.SET_DIFFICULTY, encodeDifficultyParams(difficulty));
  }

  /**
   * Sends `mining.notify` with the job as 7 params, version as 8 hex digits:
   * `[jobId, prevHash, merklePrefix, "00000003", nbits, ntime, clean]`.
   *
   * @throws LodeError('protocol') if the job is out of shape (see `encodeNotifyParams`)
   */
  sendNotify(job: WarthogNotifyParams): void {
    const params = encodeNotifyParams(job);
    this.emit(job.clean ? 'clean-notify' : 'notify', WarthogMethods.NOTIFY, params);
  }

  /**
   * Sends `client.reconnect`: `[]` for "same place, now", else
   * `[host|null, port as a string|null, waitSeconds]`.
   *
   * @param waitSeconds seconds the miner should wait first (not ms)
   */
  reconnect(host?: string, port?: number, waitSeconds = 0): void {
    this.emit('other', WarthogMethods.RECONNECT, encodeReconnectParams({ host, port, waitSeconds }));
  }

  /** Closes the connection; `closed$` emits with byPeer false. */
  close(reason: string): void {
    this.peer.close(reason);
  }

  private emit(kind: GatedKind, method: string, params: unknown[]): void {
    if (this.isClosed) return;
    const outcome = this.gate.push({ kind, send: () => this.peer.notify(method, params) });
    if (outcome === 'overflow') {
      const reason = `over ${this.gate.size} server messages waiting for the subscribe reply`;
      this.logger.warn({ queued: this.gate.size }, reason);
      this.peer.close(reason);
    }
  }

  private enqueue(work: () => Promise<void> | void): void {
    if (this.pending >= this.maxPending) {
      const reason = `over ${this.maxPending} requests waiting for their replies`;
      this.logger.warn({ pending: this.pending }, reason);
      this.peer.close(reason);
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

  private async answer(id: RpcId, method: string, params: unknown[]): Promise<void> {
    // Requests still queued when the miner left are not worth judging: nobody reads the reply.
    if (this.isClosed) return;
    const handler = METHODS.get(method);
    this.countRequest(handler === undefined ? WARTHOG_UNKNOWN_METHOD_KEY : method);
    let reply: MethodReply;
    if (handler === undefined) {
      reply = fail(StratumErrorCodes.METHOD_NOT_FOUND, `unknown method '${preview(method)}'`);
    } else {
      try {
        reply = await handler(this.ctx, params);
      } catch (err) {
        this.logger.error({ err, method }, 'method handler threw');
        reply = fail(WarthogErrorCodes.OTHER, `${method} failed: internal error`);
      }
    }
    this.write(id, reply);
    if ('result' in reply) {
      if (handler === handleSubscribe) this.gate.open();
    } else {
      reportJsonRpcErrorReply(this.handler, this.logger, method, reply.error);
    }
  }

  private onNotification(method: string, params: unknown[]): void {
    if (this.isClosed) return;
    // A notification gets no reply; only a suggested difficulty is worth acting on.
    if (method !== WarthogMethods.SUGGEST_DIFFICULTY) {
      this.logger.debug({ method: preview(method) }, 'notification from the miner ignored');
      return;
    }
    const reply = handleSuggestDifficulty(this.ctx, params);
    if ('error' in reply) this.logger.debug({ error: reply.error }, 'suggest_difficulty notification refused');
  }

  private answerInvalid(id: RpcId, reason: string, line: string): void {
    const invalid = invalidLineShape(line);
    if (invalid.kind === 'response') {
      // A late or malformed answer: replying would put a response in the
      // miner's own id namespace on the wire.
      this.logger.debug({ id, reason }, 'unmatched response from the miner dropped');
      return;
    }
    this.write(id, fail(invalid.kind === 'not-json' ? StratumErrorCodes.PARSE_ERROR : StratumErrorCodes.INVALID_REQUEST, reason));
    reportMalformed(this.handler, this.logger, invalid.kind, reason, invalid.method);
  }

  private write(id: RpcId, reply: MethodReply): void {
    if (this.peer.isClosed) return;
    if ('result' in reply) {
      this.peer.respond(id, reply.result);
    } else {
      this.errorCounts.set(reply.error.code, (this.errorCounts.get(reply.error.code) ?? 0) + 1);
      this.peer.respondError(id, reply.error);
    }
  }

  private onInvalid(bad: InvalidLine): void {
    this.invalidLines++;
    this.enqueue(() => this.answerInvalid(bad.id, bad.reason, bad.line));
  }

  /**
   * Answered synchronously: the transport closes itself right after telling
   * us and flushes what was sent from inside it.
   */
  private onFramingError(err: LodeError): void {
    this.framingErrorCount++;
    this.write(null, fail(StratumErrorCodes.INVALID_REQUEST, err.message));
    reportMalformed(this.handler, this.logger, 'overlong', err.message);
  }

  private countRequest(key: string): void {
    this.requestCounts.set(key, (this.requestCounts.get(key) ?? 0) + 1);
  }

  private onClosed(info: CloseInfo): void {
    if (this.closedInfo !== undefined) return;
    this.closedInfo = info;
    this.gate.clear();
    this.subscriptions?.unsubscribe();
    try {
      this.handler.closed?.(info);
    } catch (err) {
      this.logger.error({ err }, 'closed handler threw');
    }
  }
}
