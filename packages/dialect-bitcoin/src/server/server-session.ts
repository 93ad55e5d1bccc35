import { invalidLineShape, lazyChildLogger, LodeError, reportJsonRpcErrorReply, reportMalformed, silentLogger, StratumErrorCodes } from '@lode/stratum-core';
import type { CloseInfo, LodeLogger, RpcId, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { Subscription } from 'rxjs';
import type { MinerInfo } from '../configure/configure-messages';
import { encodeVersionMaskParams } from '../configure/configure-messages';
import { ConfigureRegistry } from '../configure/registry';
import { effectiveVersionMask } from '../configure/version-rolling';
import { BitcoinErrorCodes } from '../errors';
import { preview } from '../hex';
import { BitcoinMethods, encodeExtranonceParams, encodeNotifyParams, encodeReconnectParams } from '../messages';
import type { NotifyParams } from '../messages';
import { handleAuthorize } from './handlers/authorize';
import { handleConfigure } from './handlers/configure';
import { handleExtranonceSubscribe } from './handlers/extranonce-subscribe';
import { handlePing } from './handlers/ping';
import { handleSubmit } from './handlers/submit';
import { handleSubscribe } from './handlers/subscribe';
import { handleSuggestDifficulty, legacySuggestDifficultyParams } from './handlers/suggest-difficulty';
import { fail } from './method-context';
import type { MethodReply, ServerMethodContext, ServerMethodHandler, ServerSessionState } from './method-context';
import type { BitcoinServerHandler, BitcoinServerSessionOptions, VersionRollingOptions } from './server-handler';
import { SubscribeGate } from './subscribe-gate';
import type { GatedKind } from './subscribe-gate';

/** The miner's requests this session answers, by method. A Map, so "constructor" is not a method. */
const METHODS: ReadonlyMap<string, ServerMethodHandler> = new Map<string, ServerMethodHandler>([
  [BitcoinMethods.SUBSCRIBE, handleSubscribe],
  [BitcoinMethods.AUTHORIZE, handleAuthorize],
  [BitcoinMethods.SUBMIT, handleSubmit],
  [BitcoinMethods.EXTRANONCE_SUBSCRIBE, handleExtranonceSubscribe],
  [BitcoinMethods.SUGGEST_DIFFICULTY, handleSuggestDifficulty],
  [BitcoinMethods.PING, handlePing],
  [BitcoinMethods.CONFIGURE, handleConfigure],
]);

/** The dialect session's logger bindings, shared by every session. */
const LOG_BINDINGS = { dialect: 'bitcoin', side: 'server' };

let sharedDefaultRegistry: ConfigureRegistry | undefined;

/** The registry of the default extensions, one per process: it holds no per-session state. */
function defaultRegistry(): ConfigureRegistry {
  return (sharedDefaultRegistry ??= new ConfigureRegistry());
}

/** The key under which requests for methods this session does not know are counted. */
export const UNKNOWN_METHOD_KEY = 'unknown';

/** Per-session counters, monotonically increasing; a snapshot. */
export interface BitcoinServerCounters {
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
 * The pool side of one Stratum v1 (Bitcoin) connection: handshake and
 * dispatch. It validates every miner request precisely, passes typed
 * requests to its {@link BitcoinServerHandler}, and writes exactly one reply
 * per request id, unknown methods and unreadable lines included
 * (field-notes.md §6 "Robustness": ckpool and NOMP stay silent and miners hang).
 *
 * Guarantees:
 * - Replies go out in the order the requests came in (requests are handled
 *   one at a time; at most `maxPendingRequests` wait, one more closes the
 *   connection).
 * - The subscribe reply goes out before any server message: `sendDifficulty`,
 *   `sendNotify` and the rest called earlier (even from inside
 *   `handler.subscribe`) are queued, bounded, and flushed right after it
 *   (facts/bitcoin-stratum.md "Message flow real miners use").
 * - Fractional difficulties travel as JSON numbers, never rounded.
 * - Every subscription ends when the peer closes; `handler.closed` is called once.
 * - Every malformed message (overlong or undecodable line, unknown method,
 *   wrong params, second subscribe) is told to `handler.malformed` once,
 *   right after its error reply; share rejections never are.
 *
 * - BIP 310 `mining.configure` is answered with exactly the requested
 *   codes (extensions in `configure/`). Once version rolling is negotiated,
 *   every `sendNotify` whose job version changes the mask the miner may roll
 *   (negotiated & ~version) is preceded by `mining.set_version_mask`
 *   (field-notes.md §3(b)), and submits are checked against the mask in
 *   effect.
 *
 * Method handlers live in `server/handlers/`, one file per method.
 */
export class BitcoinServerSession {
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
  // Created on first use: most idle sessions never count anything beyond their handshake.
  private requestCounts: Map<string, number> | undefined;
  private errorCounts: Map<number, number> | undefined;
  private invalidLines = 0;
  private framingErrorCount = 0;

  /**
   * @param peer the connection, decoding with `classicCodec`
   * @param handler the pool's answers to subscribe, authorize and submit
   * @param options logger, BIP 310 version rolling and extensions, and the bounds
   * @throws LodeError('config') if `versionRolling.serverMask` is not a uint32,
   *   or `configureExtensions` lists a code twice
   */
  constructor(
    private readonly peer: RpcPeer,
    private readonly handler: BitcoinServerHandler,
    options: BitcoinServerSessionOptions = {},
  ) {
    // Made on first use: an idle session logs nothing.
    this.logger = lazyChildLogger(options.logger ?? silentLogger, LOG_BINDINGS);
    this.maxPending = options.maxPendingRequests ?? 128;
    this.gate = new SubscribeGate(options.maxQueuedBeforeSubscribe ?? 64);
    this.ctx = {
      handler,
      state: this.state,
      logger: this.logger,
      versionRolling: checkVersionRolling(options.versionRolling),
      configure: options.configureExtensions === undefined ? defaultRegistry() : new ConfigureRegistry(options.configureExtensions),
      maxWorkers: options.maxWorkers ?? 256,
    };

    // Linked by callbacks (RpcPeer.handle): five subscriptions per session
    // cost more than the rest of the session. A peer already handled by
    // another owner gets plain subscriptions, all ended in onClosed (closed$
    // replays to a late subscriber; `subscriptions` is then closed already and
    // ends each one added after).
    const linked = peer.handle({
      request: (req) => this.enqueue(() => this.answer(req.id, req.method, req.params)),
      notification: (n) => this.enqueue(() => this.onNotification(n.method, n.params)),
      invalid: (bad) => this.onInvalid(bad.id, bad.reason, bad.line),
      closed: (info) => this.onClosed(info),
      framingError: (err) => this.onFramingError(err),
    });
    if (!linked) {
      const subs = (this.subscriptions = new Subscription());
      subs.add(peer.closed$.subscribe((info) => this.onClosed(info)));
      subs.add(peer.requests$.subscribe((req) => this.enqueue(() => this.answer(req.id, req.method, req.params))));
      subs.add(peer.notifications$.subscribe((n) => this.enqueue(() => this.onNotification(n.method, n.params))));
      subs.add(peer.invalid$.subscribe((bad) => this.onInvalid(bad.id, bad.reason, bad.line)));
      subs.add(peer.framingErrors$.subscribe((err) => this.onFramingError(err)));
    }
  }

  /** Emits once when the connection closes (either side), then completes. */
  get closed$(): Observable<CloseInfo> {
    return this.peer.closed$;
  }

  /** True once the subscribe reply has been written. */
  get subscribed(): boolean {
    return this.state.subscribe === 'done' && this.gate.isOpen;
  }

  /** The connection's extranonce1 (raw bytes; updated by `sendExtranonce`), undefined before subscribe. */
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

  /** True once the miner sent `mining.extranonce.subscribe` or configured "subscribe-extranonce" (BIP 310). */
  get extranonceSubscribed(): boolean {
    return this.state.extranonceSubscribed;
  }

  /**
   * The version mask (uint32) last told to the miner, in the configure reply
   * or a `mining.set_version_mask`: serverMask & minerMask & ~(last job's
   * version). Undefined until version rolling is negotiated.
   */
  get versionMask(): number | undefined {
    return this.state.versionRolling?.mask;
  }

  /** What the miner said through the BIP 310 "info" extension, if it did. */
  get info(): MinerInfo | undefined {
    return this.state.info;
  }

  /** The minimum share difficulty the pool agreed to through "minimum-difficulty"; undefined when none is in force. */
  get minimumDifficulty(): number | undefined {
    return this.state.minimumDifficulty;
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closedInfo !== undefined || this.peer.isClosed;
  }

  /** A snapshot of this session's counters. */
  get counters(): BitcoinServerCounters {
    return {
      requests: this.requestCounts === undefined ? {} : Object.fromEntries(this.requestCounts),
      errors: this.errorCounts === undefined ? {} : Object.fromEntries(this.errorCounts),
      invalidLines: this.invalidLines,
      framingErrors: this.framingErrorCount,
    };
  }

  /**
   * Sends `mining.set_difficulty [difficulty]`. Real miners apply it to the
   * next notify (DESIGN "Difficulty belongs to the job"), so send it before
   * the job it is meant for. Fractions go out as JSON numbers (0.001 stays 0.001).
   *
   * @param difficulty share difficulty (not a target), finite and > 0
   * @throws LodeError('protocol') if difficulty is not finite and positive
   */
  sendDifficulty(difficulty: number): void {
    if (!Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `difficulty ${difficulty} is not a finite number > 0`);
    }
    this.emit('difficulty', BitcoinMethods.SET_DIFFICULTY, [difficulty]);
  }

  /**
   * Sends `mining.notify` with the job encoded as 9 params. When version
   * rolling is negotiated and the mask for this job (negotiated &
   * ~p.version) differs from the last one told, `mining.set_version_mask`
   * goes out first: it is valid at once (BIP 310), so the miner never rolls
   * a bit the job version sets (facts/bitcoin-stratum.md rule 7).
   *
   * @throws LodeError('protocol') if the job is out of shape (see `encodeNotifyParams`)
   */
  sendNotify(p: NotifyParams): void {
    const params = encodeNotifyParams(p);
    this.state.lastJobVersion = p.version >>> 0;
    const vr = this.state.versionRolling;
    if (vr !== undefined) {
      const mask = effectiveVersionMask(vr.negotiated, p.version);
      if (mask !== vr.mask) {
        vr.mask = mask;
        this.emit('other', BitcoinMethods.SET_VERSION_MASK, encodeVersionMaskParams(mask));
      }
    }
    this.emit(p.cleanJobs ? 'clean-notify' : 'notify', BitcoinMethods.NOTIFY, params);
  }

  /**
   * Changes this connection's BIP 310 server mask at run time: a proxy
   * whose upstream sent `mining.set_version_mask`, or that moved the miner
   * to an upstream connection with another negotiated mask. Later
   * `mining.configure` requests are answered with the new mask. When version
   * rolling was negotiated, the mask is intersected again with what the
   * miner asked for, the bits of the last job's version are removed, and,
   * when the result differs from the mask last told, `mining.set_version_mask`
   * goes out at once (valid at once, BIP 310); submits are checked against
   * the new mask from then on. 0 stops version rolling (the miner is told
   * mask 00000000). On a port created without a version-rolling policy this
   * creates one (allowWithoutConfigure false).
   *
   * @param serverMask uint32, e.g. 0x1fffe000
   * @throws LodeError('config') if serverMask is not a uint32
   * @see specs/002_b8c80480aecfabab.txt 'Notification "mining.set_version_mask"'
   */
  setServerMask(serverMask: number): void {
    if (!Number.isInteger(serverMask) || serverMask < 0 || serverMask > 0xffffffff) {
      throw new LodeError('config', `server mask ${String(serverMask)} is not a uint32 (e.g. 0x1fffe000)`);
    }
    const policy = this.ctx.versionRolling;
    if (policy === undefined) this.ctx.versionRolling = { serverMask, allowWithoutConfigure: false };
    else policy.serverMask = serverMask;
    const vr = this.state.versionRolling;
    if (vr === undefined) return;
    vr.negotiated = (serverMask & (vr.minerMask ?? vr.negotiated)) >>> 0;
    const mask = effectiveVersionMask(vr.negotiated, this.state.lastJobVersion);
    if (mask === vr.mask) return;
    vr.mask = mask;
    this.emit('other', BitcoinMethods.SET_VERSION_MASK, encodeVersionMaskParams(mask));
  }

  /**
   * Sends `mining.set_extranonce [extranonce1 hex, extranonce2Size]`, only to
   * a miner that sent `mining.extranonce.subscribe` or configured the BIP 310
   * "subscribe-extranonce" extension. The session validates
   * later submits against the new size (and, for shares on older jobs, the
   * previous one).
   *
   * @returns false (nothing sent) when the miner did not subscribe to it
   * @throws LodeError('protocol') if extranonce2Size is not an integer in [0, 32]
   */
  sendExtranonce(extranonce1: Buffer, extranonce2Size: number): boolean {
    if (!this.state.extranonceSubscribed) return false;
    const params = encodeExtranonceParams({ extranonce1, extranonce2Size });
    const sub = this.state.subscription;
    if (sub !== undefined) {
      if (sub.extranonce2Size !== extranonce2Size) this.state.previousExtranonce2Size = sub.extranonce2Size;
      this.state.subscription = { ...sub, extranonce1: Buffer.from(extranonce1), extranonce2Size };
    }
    this.emit('other', BitcoinMethods.SET_EXTRANONCE, params);
    return true;
  }

  /**
   * Sends `client.reconnect`: `[]` for "same place, now", else
   * `[host|null, port as a string|null, waitSeconds]` (see `encodeReconnectParams`).
   *
   * @param waitSeconds seconds the miner should wait first (not ms)
   */
  reconnect(host?: string, port?: number, waitSeconds = 0): void {
    this.emit('other', BitcoinMethods.RECONNECT, encodeReconnectParams({ host, port, waitSeconds }));
  }

  /** Sends `client.show_message [text]`; miners print it. */
  showMessage(text: string): void {
    this.emit('other', BitcoinMethods.SHOW_MESSAGE, [text]);
  }

  /**
   * Asks the miner `client.get_version`.
   *
   * @returns the miner's version string (e.g. "cgminer/4.10.0")
   * @throws LodeError('protocol') if the miner answers an error or a non-string;
   *   LodeError('connection') on timeout or close
   */
  async getVersion(): Promise<string> {
    const result = await this.request(BitcoinMethods.GET_VERSION);
    if (typeof result !== 'string') {
      throw new LodeError('protocol', `client.get_version answered ${preview(result)}, expected a string`);
    }
    return result;
  }

  /**
   * Sends `mining.ping` and waits for any answer.
   *
   * @throws LodeError('protocol') on an error reply; LodeError('connection') on timeout or close
   */
  async ping(): Promise<void> {
    await this.request(BitcoinMethods.PING);
  }

  /** Closes the connection; `closed$` emits with byPeer false. */
  close(reason: string): void {
    this.peer.close(reason);
  }

  private emit(kind: GatedKind, method: string, params: unknown[]): void {
    if (this.isClosed) return;
    const outcome = this.gate.push({ kind, send: () => this.peer.notify(method, params) });
    if (outcome === 'overflow') this.overflow();
  }

  private request(method: string): Promise<unknown> {
    if (this.isClosed) return Promise.reject(new LodeError('connection', `${method}: the connection is closed`));
    return new Promise<unknown>((resolve, reject) => {
      const outcome = this.gate.push({
        kind: 'other',
        send: () => this.peer.request(method, []).then(resolve, reject),
        cancel: () => reject(new LodeError('connection', `${method}: the connection closed before the subscribe reply`)),
      });
      if (outcome === 'overflow') {
        reject(new LodeError('connection', `${method}: too many messages waiting for the subscribe reply`));
        this.overflow();
      }
    });
  }

  private overflow(): void {
    const reason = `over ${this.gate.size} server messages waiting for the subscribe reply`;
    this.logger.warn({ queued: this.gate.size }, reason);
    this.peer.close(reason);
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
    let handler = METHODS.get(method);
    let args = params;
    if (handler === undefined) {
      const legacy = legacySuggestDifficultyParams(method);
      if (legacy !== undefined) {
        handler = handleSuggestDifficulty;
        args = legacy;
      }
    }
    this.countRequest(handler === undefined ? UNKNOWN_METHOD_KEY : method);
    let reply: MethodReply;
    if (handler === undefined) {
      reply = fail(StratumErrorCodes.METHOD_NOT_FOUND, `unknown method '${preview(method)}'`);
    } else {
      try {
        reply = await handler(this.ctx, args);
      } catch (err) {
        this.logger.error({ err, method }, 'method handler threw');
        reply = fail(BitcoinErrorCodes.OTHER, `${method} failed: internal error`);
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
    const args = method === BitcoinMethods.SUGGEST_DIFFICULTY ? params : legacySuggestDifficultyParams(method);
    if (args === undefined) {
      this.logger.debug({ method: preview(method) }, 'notification from the miner ignored');
      return;
    }
    const reply = handleSuggestDifficulty(this.ctx, args);
    if ('error' in reply) this.logger.debug({ error: reply.error }, 'suggest_difficulty notification refused');
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

  private onInvalid(id: RpcId, reason: string, line: string): void {
    this.invalidLines++;
    this.enqueue(() => this.answerInvalid(id, reason, line));
  }

  private answerInvalid(id: RpcId, reason: string, line: string): void {
    const invalid = invalidLineShape(line);
    if (invalid.kind === 'response') {
      // A late or malformed answer to one of our requests: replying would put
      // a response with the miner's own id namespace on the wire.
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
      const errors = (this.errorCounts ??= new Map<number, number>());
      errors.set(reply.error.code, (errors.get(reply.error.code) ?? 0) + 1);
      this.peer.respondError(id, reply.error);
    }
  }

  private countRequest(key: string): void {
    const requests = (this.requestCounts ??= new Map<string, number>());
    requests.set(key, (requests.get(key) ?? 0) + 1);
  }

  private onClosed(info: CloseInfo): void {
    if (this.closedInfo !== undefined) return;
    this.closedInfo = info;
    this.gate.cancelAll();
    this.subscriptions?.unsubscribe();
    try {
      this.handler.closed?.(info);
    } catch (err) {
      this.logger.error({ err }, 'closed handler threw');
    }
  }
}

/** Checks a port's version-rolling policy once, so a typo fails at start-up and not per share. */
function checkVersionRolling(policy: VersionRollingOptions | undefined): VersionRollingOptions | undefined {
  if (policy === undefined) return undefined;
  const { serverMask } = policy;
  if (!Number.isInteger(serverMask) || serverMask < 0 || serverMask > 0xffffffff) {
    throw new LodeError('config', `versionRolling.serverMask ${String(serverMask)} is not a uint32 (e.g. 0x1fffe000)`);
  }
  return { serverMask, allowWithoutConfigure: policy.allowWithoutConfigure ?? false };
}
