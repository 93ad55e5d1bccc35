import { randomBytes } from 'node:crypto';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { CloseInfo, IncomingNotification, IncomingRequest, LodeLogger, RpcPeer } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { ReplaySubject, Subject, Subscription, take, takeUntil } from 'rxjs';
import type {
  EthClassicClientJob,
  EthClassicClientSession,
  EthClassicClientSessionOptions,
  EthClassicDialect,
  EthClassicSubmitOutcome,
} from './classic-contract';
import { classicError, ClassicErrorCodes, ClassicErrors } from './classic-errors';
import { show } from '../messages/show';
import { hashrateParam } from './classic-wire';

/** A client session's counters, monotonically increasing; a snapshot. */
export interface ClassicClientCounters {
  /** jobs emitted on jobs$ */
  jobs: number;
  /** pool messages dropped as malformed (logged) */
  malformed: number;
  /** pool messages with a method this session does not know */
  unknownMethods: number;
}

/** The method both classic client sessions report hashrate with (ethminer sends it in every mode but ES2). */
const SUBMIT_HASHRATE = 'eth_submitHashrate';

/** A pool's `client.get_version` request; ethminer answers it with its name and version. */
const GET_VERSION = 'client.get_version';

/** 2^256: hashrates are sent as 32 bytes. */
const TWO_256 = 1n << 256n;

/** A share answer as ethminer reads it: `false` is rejected 23 "Invalid share", any other result accepted. */
function judgeLikeEthminer(result: unknown): EthClassicSubmitOutcome {
  if (result === false) {
    return { accepted: false, error: { code: ClassicErrorCodes.LOW_DIFFICULTY, message: 'Invalid share (the pool answered false)' } };
  }
  return { accepted: true };
}

/**
 * What Es1ClientSession, EthProxyClientSession and PlainEthClientSession
 * share: the job stream, the close, submit-outcome mapping and
 * `eth_submitHashrate` (ES1 overrides the share answer and pool requests).
 *
 * - A share answered `true` (or any result that is not `false` with no
 *   error, as ethminer reads it) is accepted; `false` is rejected with 23
 *   "Invalid share" (open-ethereum-pool answers a bad share `false` with no
 *   error); an error reply is rejected with the pool's code and message.
 * - `eth_submitHashrate ["0x"+32-byte hashrate, "0x"+32-byte id]`: the id is
 *   random per session, as ethminer's (`h256::random()`).
 * - The pool's `client.get_version` is answered with the user agent; other
 *   requests from the pool with 20 "Unknown method".
 * - `jobs$` and `closed$` complete when the connection closes.
 */
export abstract class ClassicClientBase implements EthClassicClientSession {
  abstract readonly dialect: EthClassicDialect;
  protected readonly logger: LodeLogger;
  /** the `eth_submitHashrate` id: "0x" + 32 random bytes */
  readonly hashrateId = `0x${randomBytes(32).toString('hex')}`;
  private readonly subscriptions = new Subscription();
  private readonly jobsSubject = new Subject<EthClassicClientJob>();
  private readonly closedSubject = new ReplaySubject<CloseInfo>(1);
  private closed = false;
  private jobCount = 0;
  private malformedCount = 0;
  private unknownCount = 0;

  /** Jobs in arrival order. */
  readonly jobs$: Observable<EthClassicClientJob> = this.jobsSubject.asObservable();
  /** Emits once when the connection closes (either side), then completes. */
  readonly closed$: Observable<CloseInfo> = this.closedSubject.asObservable();

  protected constructor(
    protected readonly peer: RpcPeer,
    protected readonly options: EthClassicClientSessionOptions,
    dialect: EthClassicDialect,
  ) {
    if (typeof options.workerName !== 'string' || options.workerName.length === 0) {
      throw new LodeError('config', `workerName ${show(options.workerName)} is not a non-empty string`);
    }
    this.logger = (options.logger ?? silentLogger).child({ dialect, side: 'client' });
    const closed$ = peer.closed$;
    this.subscriptions.add(closed$.pipe(take(1)).subscribe((info) => this.onClosed(info)));
    this.subscriptions.add(peer.notifications$.pipe(takeUntil(closed$)).subscribe((n) => this.onNotificationSafe(n)));
    this.subscriptions.add(peer.requests$.pipe(takeUntil(closed$)).subscribe((r) => this.onPoolRequest(r)));
    this.subscriptions.add(
      peer.invalid$.pipe(takeUntil(closed$)).subscribe((bad) => this.reportMalformed(`invalid line from the pool: ${bad.reason}`)),
    );
  }

  /** True once the connection closed. */
  get isClosed(): boolean {
    return this.closed || this.peer.isClosed;
  }

  /** A snapshot of this session's counters. */
  get counters(): ClassicClientCounters {
    return { jobs: this.jobCount, malformed: this.malformedCount, unknownMethods: this.unknownCount };
  }

  abstract start(): Promise<{ extranonce: Buffer }>;
  abstract submit(job: EthClassicClientJob, nonce: Buffer, mixDigest: Buffer): Promise<EthClassicSubmitOutcome>;

  /**
   * Sends `eth_submitHashrate ["0x"+hashrate as 32 bytes, "0x"+id]` and waits
   * for the answer; a refusal is logged, not thrown.
   *
   * @param hashrate hashes per second, 0 <= hashrate < 2^256
   * @throws LodeError('protocol') if the hashrate is out of range; LodeError('connection') on close or timeout
   */
  async reportHashrate(hashrate: bigint): Promise<void> {
    if (typeof hashrate !== 'bigint' || hashrate < 0n || hashrate >= TWO_256) {
      throw new LodeError('protocol', `hashrate ${show(hashrate)} is not in 0..2^256-1`);
    }
    try {
      const result = await this.peer.request(SUBMIT_HASHRATE, [hashrateParam(hashrate), this.hashrateId], this.options.requestTimeoutMs);
      if (result === false) this.logger.debug({}, 'eth_submitHashrate answered false');
    } catch (err) {
      if (!LodeError.is(err, 'protocol')) throw err;
      this.logger.debug({ err: err.message, code: err.code }, 'eth_submitHashrate refused');
    }
  }

  /** Closes the connection; every stream completes. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.peer.close(reason);
  }

  /** Handles one notification from the pool (a job); throws LodeError('protocol') when it is out of shape. */
  protected abstract onNotification(n: IncomingNotification): void;

  /** Emits a job on jobs$. */
  protected emitJob(job: EthClassicClientJob): void {
    if (this.isClosed) return;
    this.jobCount++;
    this.jobsSubject.next(job);
  }

  /** Counts and logs a pool message that could not be used. */
  protected reportMalformed(reason: string): void {
    this.malformedCount++;
    this.logger.warn({ reason }, 'malformed message from the pool dropped');
  }

  /** Counts and logs a pool notification of a method this session does not know. */
  protected reportUnknown(method: string): void {
    this.unknownCount++;
    this.logger.debug({ method: show(method) }, 'unknown method from the pool ignored');
  }

  /**
   * Sends a share request and maps the answer: an error reply -> rejected
   * with its code, message and data; a result -> `judge(result)`, by default
   * `false` -> rejected 23 "Invalid share" and any other result -> accepted.
   *
   * @throws LodeError('connection') on close or timeout
   */
  protected async submitRequest(
    method: string,
    params: unknown[],
    judge: (result: unknown) => EthClassicSubmitOutcome = judgeLikeEthminer,
  ): Promise<EthClassicSubmitOutcome> {
    try {
      const result = await this.peer.request(method, params, this.options.requestTimeoutMs);
      return judge(result);
    } catch (err) {
      if (!LodeError.is(err, 'protocol') || err.code === undefined) throw err;
      const error = err.data === undefined ? { code: err.code, message: err.message } : { code: err.code, message: err.message, data: err.data };
      return { accepted: false, error };
    }
  }

  /**
   * Sends a request whose answer must be `true` (ethminer takes any result
   * but `false` without an error).
   *
   * @throws LodeError('protocol') on an error reply (with its code) or `false`; LodeError('connection') on close or timeout
   */
  protected async expectTrue(method: string, params: unknown[]): Promise<void> {
    const result = await this.peer.request(method, params, this.options.requestTimeoutMs);
    if (result === false) throw new LodeError('protocol', `${method} answered false: the pool refused ${show(this.options.workerName)}`);
  }

  private onNotificationSafe(n: IncomingNotification): void {
    if (this.isClosed) return;
    try {
      this.onNotification(n);
    } catch (err) {
      this.reportMalformed(LodeError.is(err) ? err.message : String(err));
    }
  }

  /**
   * Answers a request (with an id) from the pool. Default: `client.get_version`
   * gets the user agent, anything else 20 "Unknown method".
   */
  protected onPoolRequest(r: IncomingRequest): void {
    if (this.isClosed) return;
    if (r.method === GET_VERSION) {
      this.peer.respond(r.id, this.options.userAgent);
      return;
    }
    this.reportUnknown(r.method);
    this.peer.respondError(r.id, classicError(ClassicErrors.UNKNOWN_METHOD, show(r.method)));
  }

  private onClosed(info: CloseInfo): void {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.unsubscribe();
    this.closedSubject.next({ reason: info.reason, byPeer: info.byPeer });
    this.closedSubject.complete();
    this.jobsSubject.complete();
  }
}
