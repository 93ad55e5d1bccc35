import { LodeError, silentLogger, StratumErrorCodes } from '@lode/stratum-core';
import type { CloseInfo, LodeLogger, RpcId, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { Subject, Subscription, take, takeUntil } from 'rxjs';
import type { ConfigureExtension } from '../configure/configure-extension';
import type { ConfigureRequest, ConfigureResult } from '../configure/configure-messages';
import { ConfigureRegistry } from '../configure/registry';
import { preview } from '../hex';
import { BitcoinMethods, decodeSubscribeResult, encodeSubmitParams, encodeSubscribeParams } from '../messages';
import type { ExtranonceUpdate, ReconnectRequest, SubmitRequest, SubscribeResult } from '../messages';
import type { ClientJob, ClientMethodContext, ClientMethodHandler, ClientSessionState } from './client-context';
import { handleGetVersion } from './handlers/get-version';
import { handleNotify } from './handlers/notify';
import { handlePing } from './handlers/ping';
import { handleReconnect } from './handlers/reconnect';
import { handleSetDifficulty } from './handlers/set-difficulty';
import { handleSetExtranonce } from './handlers/set-extranonce';
import { handleSetVersionMask } from './handlers/set-version-mask';
import { handleShowMessage } from './handlers/show-message';

/** The pool's messages this session understands, whether sent as notifications or as requests. */
const METHODS: ReadonlyMap<string, ClientMethodHandler> = new Map<string, ClientMethodHandler>([
  [BitcoinMethods.NOTIFY, handleNotify],
  [BitcoinMethods.SET_DIFFICULTY, handleSetDifficulty],
  [BitcoinMethods.SET_EXTRANONCE, handleSetExtranonce],
  [BitcoinMethods.RECONNECT, handleReconnect],
  [BitcoinMethods.SHOW_MESSAGE, handleShowMessage],
  [BitcoinMethods.GET_VERSION, handleGetVersion],
  [BitcoinMethods.PING, handlePing],
  [BitcoinMethods.SET_VERSION_MASK, handleSetVersionMask],
]);

/** Options of a BitcoinClientSession. */
export interface BitcoinClientSessionOptions {
  /** sent in mining.subscribe and answered to client.get_version, e.g. "lode-miner/0.1.0" */
  userAgent: string;
  logger?: LodeLogger;
  /**
   * How long `configure`, `extranonceSubscribe` and `suggestDifficulty`
   * wait for an answer, in ms; default 10000. Some pools never answer them
   * (ckpool, public-pool, NOMP: field-notes.md §1.2, §1.3, §2), so silence
   * is not a failure.
   */
  optionalAnswerTimeoutMs?: number;
  /** the BIP 310 extensions `configure` can request; default `defaultConfigureExtensions()` */
  configureExtensions?: readonly ConfigureExtension[];
  /** clock for ClientJob.receivedAt, ms since the Unix epoch; default Date.now */
  now?: () => number;
}

/** Per-session counters, monotonically increasing; a snapshot. */
export interface BitcoinClientCounters {
  /** jobs emitted on jobs$ */
  jobs: number;
  /** pool messages dropped because their params were malformed (a notify with 8 items, a bad difficulty) */
  malformed: number;
  /** pool messages with a method this session does not know */
  unknownMethods: number;
}

/**
 * The miner side of one Stratum v1 (Bitcoin) connection.
 *
 * - `set_difficulty` is staged and bound to the next `mining.notify`: each
 *   ClientJob carries its own difficulty (DESIGN "Difficulty belongs to the
 *   job"; cgminer's `next_diff`, field-notes.md §1.9). Subscribing resets it to 1.
 * - Pool requests are answered: client.get_version -> the user agent,
 *   mining.ping -> "pong", notify-type methods sent with an id -> true,
 *   unknown -> -32601. A malformed message is counted and logged, never thrown.
 * - Jobs may arrive before `subscribe()` resolves (a pool sends
 *   set_difficulty and notify right behind the reply, often in the same
 *   segment); subscribe to `jobs$` before calling it.
 * - BIP 310: `configure()` negotiates extensions; once version rolling is
 *   negotiated, `mining.set_version_mask` from the pool applies at once
 *   (`versionMask`, `versionMask$`).
 * - Every stream completes when the connection closes.
 */
export class BitcoinClientSession {
  private readonly logger: LodeLogger;
  private readonly userAgent: string;
  private readonly optionalTimeoutMs: number;
  private readonly state: ClientSessionState = { difficulty: 1 };
  private readonly ctx: ClientMethodContext;
  private readonly subscriptions = new Subscription();
  private readonly jobsSubject = new Subject<ClientJob>();
  private readonly extranonceSubject = new Subject<ExtranonceUpdate>();
  private readonly reconnectSubject = new Subject<ReconnectRequest>();
  private readonly messagesSubject = new Subject<string>();
  private readonly versionMaskSubject = new Subject<number>();
  private readonly configureRegistry: ConfigureRegistry;
  private jobCount = 0;
  private malformedCount = 0;
  private unknownCount = 0;

  /** Jobs in arrival order, each bound to the difficulty staged when it arrived. */
  readonly jobs$: Observable<ClientJob> = this.jobsSubject.asObservable();
  /** `mining.set_extranonce` updates: the extranonce for jobs that follow. */
  readonly extranonce$: Observable<ExtranonceUpdate> = this.extranonceSubject.asObservable();
  /** `client.reconnect` requests: where to go and how many seconds to wait. */
  readonly reconnect$: Observable<ReconnectRequest> = this.reconnectSubject.asObservable();
  /** `client.show_message` texts. */
  readonly messages$: Observable<string> = this.messagesSubject.asObservable();
  /**
   * Every version mask (uint32) the pool tells: the configure answer that
   * negotiated version rolling, then each `mining.set_version_mask`, valid
   * at once (BIP 310).
   */
  readonly versionMask$: Observable<number> = this.versionMaskSubject.asObservable();

  constructor(
    private readonly peer: RpcPeer,
    options: BitcoinClientSessionOptions,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ dialect: 'bitcoin', side: 'client' });
    this.userAgent = options.userAgent;
    this.optionalTimeoutMs = options.optionalAnswerTimeoutMs ?? 10_000;
    this.configureRegistry = new ConfigureRegistry(options.configureExtensions);
    this.ctx = {
      state: this.state,
      userAgent: this.userAgent,
      now: options.now ?? Date.now,
      emitJob: (job) => {
        this.jobCount++;
        this.jobsSubject.next(job);
      },
      emitExtranonce: (u) => this.extranonceSubject.next(u),
      emitReconnect: (r) => this.reconnectSubject.next(r),
      emitMessage: (text) => this.messagesSubject.next(text),
      emitVersionMask: (mask) => this.versionMaskSubject.next(mask),
    };

    const closed$ = peer.closed$;
    this.subscriptions.add(closed$.pipe(take(1)).subscribe(() => this.onClosed()));
    this.subscriptions.add(
      peer.notifications$.pipe(takeUntil(closed$)).subscribe((n) => this.dispatch(n.method, n.params, undefined)),
    );
    this.subscriptions.add(
      peer.requests$.pipe(takeUntil(closed$)).subscribe((r) => this.dispatch(r.method, r.params, r.id)),
    );
    this.subscriptions.add(
      peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => {
        this.malformedCount++;
        this.logger.warn({ reason: bad.reason, line: preview(bad.line, 200) }, 'invalid line from the pool dropped');
      }),
    );
  }

  /** Emits once when the connection closes (either side), then completes. */
  get closed$(): Observable<CloseInfo> {
    return this.peer.closed$;
  }

  /** The difficulty the next job will carry (1 after subscribe until the pool sets one). */
  get difficulty(): number {
    return this.state.difficulty;
  }

  /** The subscription (extranonce1 updated by set_extranonce), undefined before `subscribe()` resolves. */
  get subscription(): SubscribeResult | undefined {
    return this.state.subscription;
  }

  /**
   * The BIP 310 version mask (uint32) the miner may roll under now: the
   * negotiated one, or the last `mining.set_version_mask`. Undefined until
   * `configure()` negotiated version rolling; then submits may carry
   * `versionBits` with `versionBits & ~versionMask == 0`.
   */
  get versionMask(): number | undefined {
    return this.state.versionMask;
  }

  /** A snapshot of this session's counters. */
  get counters(): BitcoinClientCounters {
    return { jobs: this.jobCount, malformed: this.malformedCount, unknownMethods: this.unknownCount };
  }

  /**
   * Sends `mining.subscribe [userAgent]` (or `[userAgent, sessionId]` to
   * resume). The staged difficulty goes back to 1 when the request is sent:
   * a miner resets difficulty on every subscribe (facts/bitcoin-stratum.md
   * "Targets"), and what the pool sends after it belongs to the new session.
   *
   * @throws LodeError('protocol') on an error reply (with its `code`) or a
   *   result that is not `[subscriptions, extranonce1, extranonce2_size]`;
   *   LodeError('connection') on timeout or close
   */
  async subscribe(sessionId?: string): Promise<SubscribeResult> {
    this.state.difficulty = 1;
    const result = await this.peer.request(
      BitcoinMethods.SUBSCRIBE,
      encodeSubscribeParams({ userAgent: this.userAgent, sessionId }),
    );
    const decoded = decodeSubscribeResult(result);
    this.state.subscription = decoded;
    return decoded;
  }

  /**
   * Sends BIP 310 `mining.configure [codes, extensionParams]` for the
   * extensions `request` asks for (firmware sends it first, before
   * subscribe: field-notes.md §3(c)). A pool that answers with an error
   * (-32601 from old pools) or stays silent for `optionalAnswerTimeoutMs`
   * gets every requested extension read as false, not a throw. When version
   * rolling comes back `{ mask }`, `versionMask` is set and `versionMask$`
   * emits; any other answer to a version-rolling request clears it.
   *
   * @returns per extension: undefined = not requested, false, true / `{ mask }`, or the pool's message
   * @throws LodeError('protocol') when the request is out of range (a mask
   *   that is not a uint32, min-bit-count not in 0..32, a negative minimum
   *   difficulty); LodeError('connection') when the connection closes first
   * @see specs/002_b8c80480aecfabab.txt
   */
  async configure(request: ConfigureRequest): Promise<ConfigureResult> {
    const { codes, params } = this.configureRegistry.encodeRequest(request);
    if (codes.length === 0) return this.configureRegistry.decodeResult(request, {});
    let answer: unknown;
    try {
      answer = await this.peer.request(BitcoinMethods.CONFIGURE, [codes, params], this.optionalTimeoutMs);
    } catch (err) {
      if (!this.isSilenceOrRefusal(err)) throw err;
      this.logger.info({ err }, 'mining.configure refused or unanswered; every requested extension reads false');
      answer = {};
    }
    const result = this.configureRegistry.decodeResult(request, answer);
    if (typeof result.versionRolling === 'object') {
      this.state.versionMask = result.versionRolling.mask;
      this.versionMaskSubject.next(result.versionRolling.mask);
    } else if (result.versionRolling !== undefined) {
      this.state.versionMask = undefined;
    }
    this.logger.debug({ codes, raw: result.raw }, 'mining.configure answered');
    return result;
  }

  /**
   * Sends `mining.authorize [user, password]`.
   *
   * @returns true when the pool answers true; false when it answers false or an error (e.g. 24)
   * @throws LodeError('connection') on timeout or close
   */
  async authorize(user: string, password: string): Promise<boolean> {
    try {
      return (await this.peer.request(BitcoinMethods.AUTHORIZE, [user, password])) === true;
    } catch (err) {
      if (LodeError.is(err, 'protocol')) {
        this.logger.info({ user, code: err.code, message: err.message }, 'authorize refused');
        return false;
      }
      throw err;
    }
  }

  /**
   * Sends `mining.extranonce.subscribe`.
   *
   * @returns true when the pool answers true; false when it answers false or
   *   an error, or stays silent for `optionalAnswerTimeoutMs` while the
   *   connection is open (ckpool never answers it)
   * @throws LodeError('connection') when the connection closes first
   */
  async extranonceSubscribe(): Promise<boolean> {
    try {
      return (await this.peer.request(BitcoinMethods.EXTRANONCE_SUBSCRIBE, [], this.optionalTimeoutMs)) === true;
    } catch (err) {
      if (this.isSilenceOrRefusal(err)) return false;
      throw err;
    }
  }

  /**
   * Sends `mining.suggest_difficulty [difficulty]` (a JSON number, fractions
   * kept). Resolves on any answer, or on silence while the connection is
   * open: ckpool and public-pool do not answer it with a response.
   *
   * @param difficulty share difficulty (not a target), finite and > 0
   * @throws LodeError('protocol') if difficulty is not finite and positive, or the pool answers an error
   * @throws LodeError('connection') when the connection closes first
   */
  async suggestDifficulty(difficulty: number): Promise<void> {
    if (!Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `difficulty ${difficulty} is not a finite number > 0`);
    }
    try {
      await this.peer.request(BitcoinMethods.SUGGEST_DIFFICULTY, [difficulty], this.optionalTimeoutMs);
    } catch (err) {
      if (LodeError.is(err, 'connection') && !this.peer.isClosed) return;
      throw err;
    }
  }

  /**
   * Sends `mining.submit` with 5 params, or 6 when `versionBits` is set
   * (only after `configure()` negotiated version rolling; the bits must lie
   * inside `versionMask`, or the pool refuses the share with code 20).
   * `req.versionMask` is not sent.
   *
   * @throws LodeError('share', the pool's message, {code}) when the pool
   *   rejects the share (code 21 stale, 22 duplicate, 23 low difficulty, ...)
   *   or answers anything but true; LodeError('protocol') if ntime, nonce or
   *   versionBits is not a uint32; LodeError('connection') on timeout or close
   */
  async submit(req: SubmitRequest): Promise<void> {
    const params = encodeSubmitParams(req);
    let result: unknown;
    try {
      result = await this.peer.request(BitcoinMethods.SUBMIT, params);
    } catch (err) {
      if (LodeError.is(err, 'protocol')) {
        throw new LodeError('share', err.message, { code: err.code, data: err.data, cause: err });
      }
      throw err;
    }
    if (result !== true) {
      throw new LodeError('share', `the pool answered ${preview(result)} to mining.submit, expected true`);
    }
  }

  /** Closes the connection; every stream completes. */
  close(reason: string): void {
    this.peer.close(reason);
  }

  private isSilenceOrRefusal(err: unknown): boolean {
    return LodeError.is(err, 'protocol') || (LodeError.is(err, 'connection') && !this.peer.isClosed);
  }

  private dispatch(method: string, params: unknown[], id: RpcId | undefined): void {
    const handler = METHODS.get(method);
    if (handler === undefined) {
      this.unknownCount++;
      this.logger.debug({ method: preview(method) }, 'unknown method from the pool');
      if (id !== undefined) {
        this.peer.respondError(id, {
          code: StratumErrorCodes.METHOD_NOT_FOUND,
          message: `unknown method '${preview(method)}'`,
        });
      }
      return;
    }
    let result: unknown;
    try {
      result = handler(this.ctx, params);
    } catch (err) {
      this.malformedCount++;
      const message = err instanceof Error ? err.message : String(err);
      this.logger.warn({ method, message }, 'malformed message from the pool dropped');
      if (id !== undefined) this.peer.respondError(id, { code: StratumErrorCodes.INVALID_PARAMS, message });
      return;
    }
    if (id !== undefined) this.peer.respond(id, result);
  }

  private onClosed(): void {
    this.subscriptions.unsubscribe();
    this.jobsSubject.complete();
    this.extranonceSubject.complete();
    this.reconnectSubject.complete();
    this.messagesSubject.complete();
    this.versionMaskSubject.complete();
  }
}
