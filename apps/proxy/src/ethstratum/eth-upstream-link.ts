import { EthStratumClientSession, type EthClientJob } from '@lode/dialect-ethstratum';
import {
  connectStratum,
  eip1571Codec,
  LodeError,
  parseStratumUrl,
  RpcPeer,
  type Eip1571Params,
  type LodeLogger,
} from '@lode/stratum-core';
import { ReplaySubject, Subject, Subscription, type Observable } from 'rxjs';
import type { UpstreamEndpoint, UpstreamJob, UpstreamLink, UpstreamShare, UpstreamVerdict } from '../core/upstream-link';
import { toEthUpstreamJob } from './to-eth-upstream-job';

/** The 8-byte ethash nonce: upstream extranonce + the bytes after it. */
const NONCE_BYTES = 8;
/** Most workers one upstream session authorizes (the EthStratumServerSession default `maxWorkers`). */
const MAX_WORKERS = 256;

/** What {@link EthUpstreamLink.open} needs besides the endpoint. */
export interface EthUpstreamLinkOptions {
  /** ms for the TCP (and TLS) connect, and again for the first job after authorize */
  connectTimeoutMs: number;
  /** the hello's `agent` */
  userAgent: string;
  logger: LodeLogger;
}

/**
 * One EthereumStratum/2.0.0 (EIP-1571) connection to an upstream pool, as an
 * {@link UpstreamLink}: `mining.hello`, `mining.subscribe`, `mining.authorize`
 * with the endpoint's user (the worker token is kept and every share is
 * submitted with it), then the pool's jobs.
 *
 * - extranonce1 is the `mining.set` extranonce bound to the jobs (0..6
 *   bytes); extranonce2Size = 8 - its length (the nonce bytes after it).
 *   When a job arrives with another extranonce, the link switches to it and
 *   emits `extranonce$` before that job.
 * - Each job keeps the target of the `mining.set` in force when it arrived
 *   (the dialect client binds it), DESIGN.md "Difficulty belongs to the job".
 * - A share's `extranonce2` is the miner nonce sent upstream:
 *   `mining.submit [jobId, hex(extranonce2), token]`. A 2xx answer is
 *   accepted-stale (ethminer's reading); any other error code is a refusal
 *   whose message is the verdict's reason.
 * - Credentials passed through: `authorizeWorker` authorizes one more
 *   worker on this connection (EIP-1571 allows several per session) and a
 *   share naming it is submitted with its own token; a share naming a
 *   worker never authorized authorizes it first with the endpoint's
 *   password. At most 256 workers per link.
 * - `mining.reconnect` and `mining.bye` from the pool close the link (the
 *   proxy's router reconnects with backoff); `close()` says `mining.bye`.
 *
 * @see specs/003_fafafa51dc5fa36a.txt; facts/ethash.md §1.3
 */
export class EthUpstreamLink implements UpstreamLink {
  readonly dialect = 'ethstratum' as const;
  readonly versionMask = undefined;
  readonly jobs$: Observable<UpstreamJob>;
  readonly versionMask$: Observable<number>;
  readonly extranonce$: Observable<{ extranonce1: Buffer; extranonce2Size: number }>;
  readonly closed$: Observable<string>;

  private readonly jobsSubject = new ReplaySubject<UpstreamJob>(1);
  private readonly versionMaskSubject = new Subject<number>();
  private readonly extranonceSubject = new Subject<{ extranonce1: Buffer; extranonce2Size: number }>();
  private readonly closedSubject = new ReplaySubject<string>(1);
  private readonly subscriptions = new Subscription();
  /** worker name -> token, or the authorize in flight */
  private readonly tokens = new Map<string, Promise<string | undefined>>();
  private currentExtranonce: Buffer | undefined;
  private firstJob: ((job: UpstreamJob) => void) | undefined;
  private closeReason: string | undefined;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly endpoint: UpstreamEndpoint,
    private readonly session: EthStratumClientSession,
    private readonly log: LodeLogger,
  ) {
    this.jobs$ = this.jobsSubject.asObservable();
    this.versionMask$ = this.versionMaskSubject.asObservable();
    this.extranonce$ = this.extranonceSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
    this.subscriptions.add(session.jobs$.subscribe((job) => this.onJob(job)));
    this.subscriptions.add(
      session.reconnect$.subscribe((r) => {
        this.log.info({ host: r.host, port: r.port, resume: r.resume }, 'upstream asks to reconnect; closing the link');
        this.end(`mining.reconnect from the upstream (to ${r.host}:${r.port})`, false);
      }),
    );
    this.subscriptions.add(session.closed$.subscribe((info) => this.onClosed(info.reason)));
  }

  /**
   * Connects to the endpoint (stratum3+tcp://, stratum+tcp://, or their +ssl
   * / +tls forms), says hello, subscribes, authorizes the endpoint's user and
   * resolves once the first job arrived.
   *
   * @throws LodeError('config') for a URL that is not a stratum URL
   * @throws LodeError('connection') when the pool cannot be reached, closes,
   *   refuses a step (the message names it and carries the pool's code), or
   *   sends no job within `connectTimeoutMs` of the authorize reply
   */
  static async open(endpoint: UpstreamEndpoint, options: EthUpstreamLinkOptions): Promise<EthUpstreamLink> {
    const url = parseStratumUrl(endpoint.url);
    const log = options.logger.child({ upstream: endpoint.name, dialect: 'ethstratum' });
    const conn = await connectStratum(endpoint.url, {
      connectTimeoutMs: options.connectTimeoutMs,
      ...(endpoint.tls === undefined ? {} : { tls: endpoint.tls }),
    });
    const peer = new RpcPeer<Eip1571Params>(conn, eip1571Codec, { logger: log, firstRequestId: 0, maxRequestId: 65535 });
    const session = new EthStratumClientSession(peer, { logger: log });
    const link = new EthUpstreamLink(endpoint.name, endpoint, session, log);
    try {
      const first = link.nextFirstJob();
      const hello = await step('mining.hello', session.hello({ agent: options.userAgent, host: url.host, port: url.port }));
      const subscription = await step('mining.subscribe', session.subscribe());
      const token = await step('mining.authorize', session.authorize(endpoint.user, endpoint.password));
      link.tokens.set(endpoint.user, Promise.resolve(token));
      log.debug({ node: hello.node, sessionId: subscription.sessionId, token }, 'upstream session authorized');
      await link.waitFirstJob(first, options.connectTimeoutMs);
      return link;
    } catch (err) {
      link.end(`handshake failed: ${(err as Error).message}`, false);
      throw err;
    }
  }

  get extranonce1(): Buffer {
    return Buffer.from(this.currentExtranonce ?? Buffer.alloc(0));
  }

  get extranonce2Size(): number {
    return NONCE_BYTES - (this.currentExtranonce?.length ?? 0);
  }

  /**
   * Forwards one share: `mining.submit [jobId, hex(share.extranonce2), token]`.
   *
   * @param share extranonce2 = the nonce bytes after the upstream extranonce, exactly `extranonce2Size` of them; ntime and nonce unused
   * @returns accepted, accepted-stale (2xx) or refused with the pool's message and code ("Bad nonce (406)")
   * @throws LodeError('connection') when the link is closed or the pool does not answer
   * @throws LodeError('protocol') when extranonce2 is not `extranonce2Size` bytes
   */
  async submit(share: UpstreamShare): Promise<UpstreamVerdict> {
    if (this.closed) throw new LodeError('connection', `upstream ${this.name} is closed (${this.closeReason ?? 'closed'})`);
    if (share.extranonce2.length !== this.extranonce2Size) {
      throw new LodeError(
        'protocol',
        `the nonce suffix for upstream ${this.name} is ${share.extranonce2.length} bytes, its extranonce ${this.extranonce1.toString('hex') || '(none)'} leaves ${this.extranonce2Size}`,
      );
    }
    const worker = share.workerName ?? this.endpoint.user;
    const token = await this.tokenOf(worker, this.endpoint.password);
    if (token === undefined) return { accepted: false, reason: `the upstream refused worker ${worker}` };
    const outcome = await this.session.submit(share.jobId, share.extranonce2, token);
    if (outcome.accepted) return outcome.stale ? { accepted: true, stale: true } : { accepted: true };
    const message = outcome.message ?? 'refused';
    return { accepted: false, reason: outcome.code === undefined ? message : `${message} (${outcome.code})` };
  }

  /**
   * Authorizes one more worker on this connection (credentials passed
   * through), once per name: `mining.authorize [workerName, password]`.
   *
   * @returns true when the upstream gave the worker a token
   * @throws LodeError('connection') when the link is closed or the pool does not answer
   */
  async authorizeWorker(workerName: string, password: string): Promise<boolean> {
    if (this.closed) throw new LodeError('connection', `upstream ${this.name} is closed (${this.closeReason ?? 'closed'})`);
    return (await this.tokenOf(workerName, password)) !== undefined;
  }

  /** Says `mining.bye` (the upstream session is abandoned) and closes; idempotent. */
  close(reason: string): void {
    this.end(reason, true);
  }

  /** The token of a worker on this connection, authorizing it the first time (undefined when refused). */
  private tokenOf(worker: string, password: string): Promise<string | undefined> {
    const known = this.tokens.get(worker);
    if (known !== undefined) return known;
    if (this.tokens.size >= MAX_WORKERS) {
      this.log.warn({ worker }, `more than ${MAX_WORKERS} workers on one upstream session; worker refused`);
      return Promise.resolve(undefined);
    }
    const pending = this.session.authorize(worker, password).then(
      (token) => {
        this.log.info({ worker }, 'worker authorized upstream');
        return token;
      },
      (err: unknown) => {
        if (!LodeError.is(err, 'protocol')) {
          this.tokens.delete(worker);
          throw err;
        }
        this.log.warn({ worker, code: err.code, message: err.message }, 'the upstream refused a worker');
        return undefined;
      },
    );
    this.tokens.set(worker, pending);
    return pending;
  }

  private onJob(received: EthClientJob): void {
    let job: UpstreamJob;
    try {
      job = toEthUpstreamJob(received);
    } catch (err) {
      this.log.warn({ jobId: received.jobId, err: (err as Error).message }, 'upstream job dropped');
      return;
    }
    const previous = this.currentExtranonce;
    this.currentExtranonce = Buffer.from(received.extranonce);
    if (previous !== undefined && !previous.equals(received.extranonce)) {
      this.log.info(
        { from: previous.toString('hex'), to: received.extranonce.toString('hex') },
        'upstream moved this session to another extranonce',
      );
      this.extranonceSubject.next({ extranonce1: this.extranonce1, extranonce2Size: this.extranonce2Size });
    }
    this.jobsSubject.next(job);
    const first = this.firstJob;
    this.firstJob = undefined;
    first?.(job);
  }

  private nextFirstJob(): Promise<UpstreamJob> {
    return new Promise<UpstreamJob>((resolve) => {
      this.firstJob = resolve;
    });
  }

  private async waitFirstJob(first: Promise<UpstreamJob>, timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const watch = new Subscription();
    const closed = new Promise<never>((_, reject) => {
      watch.add(
        this.closedSubject.subscribe((reason) => reject(new LodeError('connection', `upstream ${this.name} closed before its first job: ${reason}`))),
      );
    });
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LodeError('connection', `upstream ${this.name} sent no job within ${timeoutMs} ms of authorize`)), timeoutMs);
    });
    try {
      await Promise.race([first, closed, late]);
    } finally {
      clearTimeout(timer);
      watch.unsubscribe();
    }
  }

  private end(reason: string, bye: boolean): void {
    if (this.closed || this.closeReason !== undefined) return;
    this.closeReason = reason;
    if (bye) this.session.bye();
    else this.session.close(reason);
  }

  private onClosed(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.firstJob = undefined;
    const why = this.closeReason ?? reason;
    this.closeReason = why;
    this.log.debug({ reason: why }, 'upstream link closed');
    this.closedSubject.next(why);
    this.closedSubject.complete();
    this.jobsSubject.complete();
    this.versionMaskSubject.complete();
    this.extranonceSubject.complete();
    this.subscriptions.unsubscribe();
  }
}

/** Awaits one handshake step; a refusal (LodeError 'protocol') becomes LodeError('connection') naming the step. */
async function step<T>(what: string, answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if (LodeError.is(err, 'connection')) throw err;
    const code = LodeError.is(err) ? err.code : undefined;
    throw new LodeError('connection', `the upstream refused ${what}: ${(err as Error).message}`, { cause: err, ...(code === undefined ? {} : { code }) });
  }
}
