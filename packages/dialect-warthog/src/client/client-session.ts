import { LodeError, silentLogger, StratumErrorCodes } from '@lode/stratum-core';
import type { CloseInfo, LodeLogger, RpcId, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { Subject, Subscription, take, takeUntil } from 'rxjs';
import { preview } from '../hex';
import {
  decodeSubscribeResult,
  encodeAuthorizeParams,
  encodeSubmitParams,
  encodeSubscribeParams,
  WarthogMethods,
} from '../messages';
import type { WarthogReconnect, WarthogShareSubmission, WarthogSubscribeResult } from '../messages';
import type { ClientMethodContext, ClientMethodHandler, ClientSessionState, WarthogClientJob } from './client-context';
import { handleNotify } from './handlers/notify';
import { handleReconnect } from './handlers/reconnect';
import { handleSetDifficulty } from './handlers/set-difficulty';

/** The pool's messages this session understands, whether sent as notifications or as requests. */
const METHODS: ReadonlyMap<string, ClientMethodHandler> = new Map<string, ClientMethodHandler>([
  [WarthogMethods.NOTIFY, handleNotify],
  [WarthogMethods.SET_DIFFICULTY, handleSetDifficulty],
  [WarthogMethods.RECONNECT, handleReconnect],
]);

/** Options of a WarthogClientSession. */
export interface WarthogClientSessionOptions {
  logger?: LodeLogger;
  /**
   * Send submits in the older shifupool form
   * `[workerName, jobId, extranonce2, ntime, nonce]` (facts/warthog.md §7
   * "Historical variant"), the worker being the one passed in the submit or
   * else the one authorized last. Default false: the current 4-parameter form.
   */
  legacySubmit?: boolean;
  /** clock for WarthogClientJob.receivedAt, ms since the Unix epoch; default Date.now */
  now?: () => number;
}

/** A share submission with, for `legacySubmit`, the worker it names (default: the one authorized last). */
export interface WarthogClientSubmission extends WarthogShareSubmission {
  workerName?: string;
}

/**
 * What the pool answered to a share: accepted, or the error's code and
 * message (21 stale, 22 duplicate, 23 low difficulty share, ...; see
 * WarthogErrorCodes). A pool that answers `false` without an error gives
 * `accepted: false` with no code.
 */
export interface WarthogSubmitOutcome {
  accepted: boolean;
  code?: number;
  message?: string;
}

/** Per-session counters, monotonically increasing; a snapshot. */
export interface WarthogClientCounters {
  /** jobs emitted on jobs$ */
  jobs: number;
  /** pool messages dropped because their params were malformed (a notify with 6 items, a bad difficulty) */
  malformed: number;
  /** pool messages with a method this session does not know */
  unknownMethods: number;
}

/**
 * The miner side of one Warthog stratum connection.
 *
 * - `mining.set_difficulty` is staged and bound to the next `mining.notify`:
 *   each WarthogClientJob carries its own difficulty (DESIGN "Difficulty
 *   belongs to the job"). Subscribing resets it to 1.
 * - The notify version is read as 8 hex digits or as a JSON number
 *   (shifupool); the subscribe result in the pool form or the node's solo
 *   form `[["mining.notify",""], en1, 6]`.
 * - Pool messages sent with an id are answered (true; unknown methods
 *   -32601). A malformed message is counted and logged, never thrown.
 * - Jobs may arrive before `subscribe()` resolves (a pool sends
 *   set_difficulty and notify right behind the reply); subscribe to `jobs$`
 *   before calling it.
 * - Every stream completes when the connection closes.
 *
 * @see specs/004_8dfd75be62003ef5.txt; facts/warthog.md §7
 */
export class WarthogClientSession {
  private readonly logger: LodeLogger;
  private readonly legacySubmit: boolean;
  private readonly state: ClientSessionState = { difficulty: 1 };
  private readonly ctx: ClientMethodContext;
  private readonly subscriptions = new Subscription();
  private readonly jobsSubject = new Subject<WarthogClientJob>();
  private readonly reconnectSubject = new Subject<WarthogReconnect>();
  private authorizedUser: string | undefined;
  private jobCount = 0;
  private malformedCount = 0;
  private unknownCount = 0;

  /** Jobs in arrival order, each bound to the difficulty staged when it arrived. */
  readonly jobs$: Observable<WarthogClientJob> = this.jobsSubject.asObservable();
  /** `client.reconnect` requests: where to go and how many seconds to wait. */
  readonly reconnect$: Observable<WarthogReconnect> = this.reconnectSubject.asObservable();

  /**
   * @param peer the connection, decoding with `classicCodec` from @lode/stratum-core
   * @param options logger, submit form, clock
   */
  constructor(
    private readonly peer: RpcPeer,
    options: WarthogClientSessionOptions = {},
  ) {
    this.logger = (options.logger ?? silentLogger).child({ dialect: 'warthog', side: 'client' });
    this.legacySubmit = options.legacySubmit ?? false;
    this.ctx = {
      state: this.state,
      now: options.now ?? Date.now,
      emitJob: (job) => {
        this.jobCount++;
        this.jobsSubject.next(job);
      },
      emitReconnect: (r) => this.reconnectSubject.next(r),
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

  /** The subscription, undefined before `subscribe()` resolves. */
  get subscription(): WarthogSubscribeResult | undefined {
    return this.state.subscription;
  }

  /** The user the pool authorized last (named by legacy submits), undefined before. */
  get workerName(): string | undefined {
    return this.authorizedUser;
  }

  /** A snapshot of this session's counters. */
  get counters(): WarthogClientCounters {
    return { jobs: this.jobCount, malformed: this.malformedCount, unknownMethods: this.unknownCount };
  }

  /**
   * Sends `mining.subscribe [userAgent]` (or `[userAgent, sessionId]` to
   * resume). The staged difficulty goes back to 1 when the request is sent:
   * what the pool sends after it belongs to the new session.
   *
   * @param userAgent e.g. "lode-miner/0.1.0"
   * @param sessionId the id of an earlier session to resume
   * @throws LodeError('protocol') on an error reply (with its `code`) or a
   *   result that is not `[subscriptions, extranonce1, extranonce2_size]`;
   *   LodeError('connection') on timeout or close
   */
  async subscribe(userAgent: string, sessionId?: string): Promise<WarthogSubscribeResult> {
    this.state.difficulty = 1;
    const result = await this.peer.request(WarthogMethods.SUBSCRIBE, encodeSubscribeParams({ userAgent, sessionId }));
    const decoded = decodeSubscribeResult(result);
    this.state.subscription = decoded;
    return decoded;
  }

  /**
   * Sends `mining.authorize [user, password]` (user: "address.worker").
   *
   * @returns true when the pool answers true; false when it answers false or an error (e.g. 24)
   * @throws LodeError('connection') on timeout or close
   */
  async authorize(user: string, password: string): Promise<boolean> {
    let result: unknown;
    try {
      result = await this.peer.request(WarthogMethods.AUTHORIZE, encodeAuthorizeParams({ workerName: user, password }));
    } catch (err) {
      if (LodeError.is(err, 'protocol')) {
        this.logger.info({ user, code: err.code, message: err.message }, 'authorize refused');
        return false;
      }
      throw err;
    }
    if (result !== true) return false;
    this.authorizedUser = user;
    return true;
  }

  /**
   * Sends `mining.submit [jobId, extranonce2 hex, ntime hex, nonce hex]`
   * (ntime and nonce: 8 hex digits, the header bytes in order), or with
   * `legacySubmit` the 5-parameter form led by the worker name.
   *
   * @returns the pool's answer: `{accepted: true}` or `{accepted: false, code, message}`
   * @throws LodeError('protocol') if ntime or nonce is not a uint32, or
   *   `legacySubmit` is on and no worker is known (authorize first or pass
   *   `workerName`); LodeError('connection') on timeout or close
   */
  async submit(share: WarthogClientSubmission): Promise<WarthogSubmitOutcome> {
    let worker: string | undefined;
    if (this.legacySubmit) {
      worker = share.workerName ?? this.authorizedUser;
      if (worker === undefined) {
        throw new LodeError('protocol', 'legacySubmit names the worker: authorize one first or pass workerName');
      }
    }
    const params = encodeSubmitParams(share, worker);
    let result: unknown;
    try {
      result = await this.peer.request(WarthogMethods.SUBMIT, params);
    } catch (err) {
      if (LodeError.is(err, 'protocol')) {
        const outcome: WarthogSubmitOutcome = { accepted: false, message: err.message };
        if (err.code !== undefined) outcome.code = err.code;
        return outcome;
      }
      throw err;
    }
    if (result === true) return { accepted: true };
    return { accepted: false, message: `the pool answered ${preview(result)} to mining.submit, expected true` };
  }

  /** Closes the connection; every stream completes. */
  close(reason: string): void {
    this.peer.close(reason);
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
    this.reconnectSubject.complete();
  }
}
