import { WarthogClientSession, type WarthogClientJob } from '@lode/dialect-warthog';
import { classicCodec, connectStratum, LodeError, parseStratumUrl, RpcPeer, type LodeLogger } from '@lode/stratum-core';
import { ReplaySubject, Subject, Subscription, type Observable } from 'rxjs';
import type { UpstreamEndpoint, UpstreamJob, UpstreamLink, UpstreamShare, UpstreamVerdict } from '../core/upstream-link';
import { toWarthogUpstreamJob } from './to-warthog-upstream-job';

/** Most workers one upstream connection authorizes (the WarthogServerSession default `maxWorkers`). */
const MAX_WORKERS = 256;

/** What {@link WarthogUpstreamLink.open} needs besides the endpoint. */
export interface WarthogUpstreamLinkOptions {
  /** the coin's difficulty-1 target (Warthog: 2^256): job target = floor(diff1Target / difficulty) */
  diff1Target: bigint;
  /** ms for the TCP (and TLS) connect, and again for the first job after authorize */
  connectTimeoutMs: number;
  /** the `mining.subscribe` user agent */
  userAgent: string;
  logger: LodeLogger;
  /**
   * submit in the older 5-parameter form `[worker, jobId, extranonce2,
   * ntime, nonce]` (facts/warthog.md §7 "Historical variant"): the only form
   * that names a worker, so credentials passed through per miner need it
   * (or one link per worker). Default false: the current 4-parameter form.
   */
  legacySubmit?: boolean;
}

/**
 * One Warthog stratum connection to an upstream pool, as an
 * {@link UpstreamLink}: `mining.subscribe` (extranonce1 and extranonce2 size,
 * 10 bytes together), `mining.authorize` with the endpoint's user, then the
 * pool's jobs, each with the target of the `mining.set_difficulty` in force
 * when it arrived (DESIGN.md "Difficulty belongs to the job").
 *
 * - A share goes up as `mining.submit [jobId, extranonce2, ntime, nonce]`
 *   (hex, ntime and nonce 8 digits each), or in the 5-parameter form with
 *   `legacySubmit`.
 * - Credentials passed through need `legacySubmit` (the 4-parameter submit
 *   cannot name a worker): only then has the link `authorizeWorker`, and a
 *   share naming a worker is submitted under its name (a worker never
 *   authorized is authorized first with the endpoint's password). At most
 *   256 workers per link.
 * - Warthog stratum has no extranonce change and no version rolling:
 *   `extranonce$` and `versionMask$` never emit.
 * - `client.reconnect` from the pool closes the link (the proxy's router
 *   reconnects with backoff).
 *
 * @see specs/004_8dfd75be62003ef5.txt; facts/warthog.md §7
 */
export class WarthogUpstreamLink implements UpstreamLink {
  readonly dialect = 'warthog' as const;
  readonly versionMask = undefined;
  readonly jobs$: Observable<UpstreamJob>;
  readonly versionMask$: Observable<number>;
  readonly extranonce$: Observable<{ extranonce1: Buffer; extranonce2Size: number }>;
  readonly closed$: Observable<string>;
  /**
   * Authorizes one more worker on this connection, once per name (only with
   * `legacySubmit`: the 4-parameter submit cannot name it).
   *
   * @returns true when the upstream answered true
   * @throws LodeError('connection') when the link is closed or the pool does not answer
   */
  readonly authorizeWorker?: (workerName: string, password: string) => Promise<boolean>;

  private readonly jobsSubject = new ReplaySubject<UpstreamJob>(1);
  private readonly versionMaskSubject = new Subject<number>();
  private readonly extranonceSubject = new Subject<{ extranonce1: Buffer; extranonce2Size: number }>();
  private readonly closedSubject = new ReplaySubject<string>(1);
  private readonly subscriptions = new Subscription();
  /** worker name -> authorized (true), refused (false) or the authorize in flight */
  private readonly workers = new Map<string, Promise<boolean>>();
  private subscribed: { extranonce1: Buffer; extranonce2Size: number } | undefined;
  private firstJob: (() => void) | undefined;
  private closeReason: string | undefined;
  private closed = false;

  private constructor(
    readonly name: string,
    private readonly endpoint: UpstreamEndpoint,
    private readonly session: WarthogClientSession,
    private readonly diff1Target: bigint,
    private readonly legacySubmit: boolean,
    private readonly log: LodeLogger,
  ) {
    this.jobs$ = this.jobsSubject.asObservable();
    this.versionMask$ = this.versionMaskSubject.asObservable();
    this.extranonce$ = this.extranonceSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
    if (legacySubmit) {
      this.authorizeWorker = async (workerName, password) => {
        if (this.closed) throw new LodeError('connection', `upstream ${this.name} is closed (${this.closeReason ?? 'closed'})`);
        return this.authorized(workerName, password);
      };
    }
    this.subscriptions.add(session.jobs$.subscribe((job) => this.onJob(job)));
    this.subscriptions.add(
      session.reconnect$.subscribe((r) => {
        const where = r.host === undefined ? 'the same pool' : `${r.host}:${r.port ?? '?'}`;
        this.log.info({ host: r.host, port: r.port, waitSeconds: r.waitSeconds }, 'upstream asks to reconnect; closing the link');
        this.close(`client.reconnect from the upstream (to ${where})`);
      }),
    );
    this.subscriptions.add(session.closed$.subscribe((info) => this.onClosed(info.reason)));
  }

  /**
   * Connects to the endpoint (stratum+tcp://, +ssl, +tls), subscribes,
   * authorizes the endpoint's user and resolves once the first job arrived.
   *
   * @throws LodeError('config') for a URL that is not a stratum URL, or a stratum3+ (EthereumStratum) one
   * @throws LodeError('connection') when the pool cannot be reached, closes,
   *   refuses the subscribe or the worker, or sends no job within
   *   `connectTimeoutMs` of the authorize reply
   */
  static async open(endpoint: UpstreamEndpoint, options: WarthogUpstreamLinkOptions): Promise<WarthogUpstreamLink> {
    const url = parseStratumUrl(endpoint.url);
    if (url.scheme.startsWith('stratum3+')) {
      throw new LodeError('config', `upstream ${endpoint.name}: ${url.scheme}:// is EthereumStratum/2.0.0; Warthog stratum uses stratum+tcp:// (or +ssl, +tls)`);
    }
    const log = options.logger.child({ upstream: endpoint.name, dialect: 'warthog' });
    const conn = await connectStratum(endpoint.url, {
      connectTimeoutMs: options.connectTimeoutMs,
      ...(endpoint.tls === undefined ? {} : { tls: endpoint.tls }),
    });
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    const legacySubmit = options.legacySubmit ?? false;
    const session = new WarthogClientSession(peer, { logger: log, legacySubmit });
    const link = new WarthogUpstreamLink(endpoint.name, endpoint, session, options.diff1Target, legacySubmit, log);
    try {
      const first = new Promise<void>((resolve) => {
        link.firstJob = resolve;
      });
      let subscription;
      try {
        subscription = await session.subscribe(options.userAgent);
      } catch (err) {
        if (LodeError.is(err, 'connection')) throw err;
        const code = LodeError.is(err) ? err.code : undefined;
        throw new LodeError('connection', `the upstream refused mining.subscribe: ${(err as Error).message}`, {
          cause: err,
          ...(code === undefined ? {} : { code }),
        });
      }
      link.subscribed = { extranonce1: subscription.extranonce1, extranonce2Size: subscription.extranonce2Size };
      if (!(await session.authorize(endpoint.user, endpoint.password))) {
        throw new LodeError('connection', `the upstream refused worker ${endpoint.user}`);
      }
      link.workers.set(endpoint.user, Promise.resolve(true));
      log.debug({ extranonce1: subscription.extranonce1.toString('hex'), extranonce2Size: subscription.extranonce2Size }, 'upstream session authorized');
      await link.waitFirstJob(first, options.connectTimeoutMs);
      return link;
    } catch (err) {
      link.close(`handshake failed: ${(err as Error).message}`);
      throw err;
    }
  }

  get extranonce1(): Buffer {
    return Buffer.from(this.subscribed?.extranonce1 ?? Buffer.alloc(0));
  }

  get extranonce2Size(): number {
    return this.subscribed?.extranonce2Size ?? 0;
  }

  /**
   * Forwards one share: `mining.submit [jobId, hex(extranonce2), ntime, nonce]`
   * (8 hex digits each), or `[worker, jobId, ...]` with `legacySubmit`.
   *
   * @param share extranonce2 exactly `extranonce2Size` bytes; ntime and nonce uint32
   * @returns accepted, or refused with the pool's message and code ("low difficulty share (23)")
   * @throws LodeError('connection') when the link is closed or the pool does not answer
   * @throws LodeError('protocol') when extranonce2 is not `extranonce2Size` bytes, or ntime/nonce not uint32
   * @throws LodeError('config') when the share names another worker and the link submits in the 4-parameter form
   */
  async submit(share: UpstreamShare): Promise<UpstreamVerdict> {
    if (this.closed) throw new LodeError('connection', `upstream ${this.name} is closed (${this.closeReason ?? 'closed'})`);
    if (share.extranonce2.length !== this.extranonce2Size) {
      throw new LodeError(
        'protocol',
        `extranonce2 for upstream ${this.name} is ${share.extranonce2.length} bytes, the upstream expects ${this.extranonce2Size}`,
      );
    }
    const worker = share.workerName ?? this.endpoint.user;
    if (worker !== this.endpoint.user) {
      if (!this.legacySubmit) {
        throw new LodeError(
          'config',
          `upstream ${this.name} submits in the 4-parameter form, which cannot name worker ${worker}: use legacySubmit or one upstream link per worker`,
        );
      }
      if (!(await this.authorized(worker, this.endpoint.password))) return { accepted: false, reason: `the upstream refused worker ${worker}` };
    }
    const submission = { jobId: share.jobId, extranonce2: share.extranonce2, ntime: share.ntime, nonce: share.nonce };
    const outcome = await this.session.submit(this.legacySubmit ? { ...submission, workerName: worker } : submission);
    if (outcome.accepted) return { accepted: true };
    const message = outcome.message ?? 'refused';
    return { accepted: false, reason: outcome.code === undefined ? message : `${message} (${outcome.code})` };
  }

  /** Closes the connection; idempotent. */
  close(reason: string): void {
    if (this.closed || this.closeReason !== undefined) return;
    this.closeReason = reason;
    this.session.close(reason);
  }

  /** Whether a worker is authorized on this connection, authorizing it the first time. */
  private authorized(worker: string, password: string): Promise<boolean> {
    const known = this.workers.get(worker);
    if (known !== undefined) return known;
    if (this.workers.size >= MAX_WORKERS) {
      this.log.warn({ worker }, `more than ${MAX_WORKERS} workers on one upstream connection; worker refused`);
      return Promise.resolve(false);
    }
    const pending = this.session.authorize(worker, password).then(
      (ok) => {
        if (ok) this.log.info({ worker }, 'worker authorized upstream');
        else this.log.warn({ worker }, 'the upstream refused a worker');
        return ok;
      },
      (err: unknown) => {
        this.workers.delete(worker);
        throw err;
      },
    );
    this.workers.set(worker, pending);
    return pending;
  }

  private onJob(received: WarthogClientJob): void {
    let job: UpstreamJob;
    try {
      job = toWarthogUpstreamJob(received, this.diff1Target);
    } catch (err) {
      this.log.warn({ jobId: received.params.jobId, err: (err as Error).message }, 'upstream job dropped');
      return;
    }
    this.jobsSubject.next(job);
    const first = this.firstJob;
    this.firstJob = undefined;
    first?.();
  }

  private async waitFirstJob(first: Promise<void>, timeoutMs: number): Promise<void> {
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
