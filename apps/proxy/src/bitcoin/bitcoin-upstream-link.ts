import { BitcoinClientSession } from '@lode/dialect-bitcoin';
import type { ClientJob } from '@lode/dialect-bitcoin';
import { targetFromDifficulty } from '@lode/mining';
import { classicCodec, connectStratum, LodeError, RpcPeer } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { ReplaySubject, Subject, Subscription as RxSubscription } from 'rxjs';
import type { Observable } from 'rxjs';
import type { UpstreamEndpoint, UpstreamJob, UpstreamLink, UpstreamShare, UpstreamVerdict } from '../core/upstream-link';
import { coinbaseHeight } from './coinbase-height';

/** The widest version mask the proxy asks upstream for (BIP 310: the pool answers its mask & ours). */
export const UPSTREAM_VERSION_MASK_REQUEST = 0xffffffff;
/** Longest line accepted from an upstream pool, bytes (a notify with a long merkle branch and coinbase fits). */
const MAX_UPSTREAM_LINE_BYTES = 64 * 1024;

/** What {@link BitcoinUpstreamLink.open} needs besides the endpoint. */
export interface BitcoinUpstreamLinkOptions {
  /** the coin's difficulty-1 target: upstream difficulties become per-job targets with it */
  diff1Target: bigint;
  /** ms for the connect, then for each handshake answer and the first job */
  connectTimeoutMs: number;
  /** sent in mining.subscribe and answered to client.get_version */
  userAgent: string;
  logger: LodeLogger;
}

/**
 * One Stratum v1 (Bitcoin) connection to an upstream pool, as an
 * {@link UpstreamLink}, on a BitcoinClientSession over connectStratum +
 * RpcPeer + classicCodec.
 *
 * Handshake ({@link open}): `mining.configure` asking version-rolling with
 * mask ffffffff (a pool that refuses or stays silent leaves the link without
 * version rolling), `mining.subscribe`, `mining.extranonce.subscribe` (not
 * waited for: ckpool never answers it), `mining.authorize` with the
 * endpoint's user, then the first job.
 *
 * - Each job carries the target of the difficulty in force when it arrived
 *   (the client session stages set_difficulty for the next notify; DESIGN.md
 *   "Difficulty belongs to the job"), and its height when coinb1 starts with
 *   a BIP 34 height push.
 * - `mining.set_extranonce` updates extranonce1 / extranonce2Size and emits
 *   on `extranonce$`; `mining.set_version_mask` updates versionMask and emits
 *   on `versionMask$`.
 * - `client.reconnect` from the pool closes the link (the proxy reconnects
 *   with backoff, to the configured URL).
 * - submit: `mining.submit` with the share's worker (or the endpoint's
 *   user) and its version bits; the pool's error is the verdict's reason.
 */
export class BitcoinUpstreamLink implements UpstreamLink {
  readonly dialect = 'bitcoin' as const;
  readonly name: string;
  readonly jobs$: Observable<UpstreamJob>;
  readonly versionMask$: Observable<number>;
  readonly extranonce$: Observable<{ extranonce1: Buffer; extranonce2Size: number }>;
  readonly closed$: Observable<string>;

  private readonly jobsSubject = new ReplaySubject<UpstreamJob>(1);
  private readonly versionMaskSubject = new Subject<number>();
  private readonly extranonceSubject = new Subject<{ extranonce1: Buffer; extranonce2Size: number }>();
  private readonly closedSubject = new ReplaySubject<string>(1);
  private readonly subscriptions = new RxSubscription();
  private readonly logger: LodeLogger;
  private en1 = Buffer.alloc(0);
  private en2Size = 0;
  private mask: number | undefined;
  private isClosed = false;
  private closeReason: string | undefined;
  private firstJob: Promise<void>;

  private constructor(
    private readonly endpoint: UpstreamEndpoint,
    private readonly client: BitcoinClientSession,
    private readonly options: BitcoinUpstreamLinkOptions,
  ) {
    this.name = endpoint.name;
    this.logger = options.logger.child({ upstream: endpoint.name, dialect: 'bitcoin' });
    this.jobs$ = this.jobsSubject.asObservable();
    this.versionMask$ = this.versionMaskSubject.asObservable();
    this.extranonce$ = this.extranonceSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
    this.firstJob = new Promise<void>((resolve) => {
      const first = this.jobsSubject.subscribe(() => {
        resolve();
        queueMicrotask(() => first.unsubscribe());
      });
    });
    // Jobs may arrive right behind the subscribe reply: watch before sending it.
    this.subscriptions.add(client.jobs$.subscribe((job) => this.onJob(job)));
    this.subscriptions.add(
      client.extranonce$.subscribe((update) => {
        this.en1 = Buffer.from(update.extranonce1);
        this.en2Size = update.extranonce2Size;
        this.logger.info({ extranonce1: this.en1.toString('hex'), extranonce2Size: this.en2Size }, 'upstream set extranonce');
        this.extranonceSubject.next({ extranonce1: Buffer.from(this.en1), extranonce2Size: this.en2Size });
      }),
    );
    this.subscriptions.add(
      client.reconnect$.subscribe((request) => {
        this.logger.info({ ...request }, 'upstream asked to reconnect');
        this.close('upstream sent client.reconnect');
      }),
    );
    this.subscriptions.add(client.closed$.subscribe((info) => this.onClosed(info.reason)));
  }

  /**
   * Connects, configures, subscribes and authorizes; resolves once the first job arrived.
   *
   * @throws LodeError('config') for a URL that is not a stratum URL;
   *   LodeError('connection') when the pool cannot be reached, refuses the
   *   subscribe or the user, or sends no job within connectTimeoutMs
   */
  static async open(endpoint: UpstreamEndpoint, options: BitcoinUpstreamLinkOptions): Promise<BitcoinUpstreamLink> {
    const logger = options.logger.child({ upstream: endpoint.name });
    const connection = await connectStratum(endpoint.url, {
      connectTimeoutMs: options.connectTimeoutMs,
      ...(endpoint.tls === undefined ? {} : { tls: endpoint.tls }),
      maxLineBytes: MAX_UPSTREAM_LINE_BYTES,
      logger,
    });
    const peer = new RpcPeer(connection, classicCodec, { logger, requestTimeoutMs: Math.max(options.connectTimeoutMs, 30_000) });
    const client = new BitcoinClientSession(peer, {
      userAgent: options.userAgent,
      logger,
      optionalAnswerTimeoutMs: options.connectTimeoutMs,
    });
    const link = new BitcoinUpstreamLink(endpoint, client, options);
    try {
      await link.handshake();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      link.close(`handshake failed: ${reason}`);
      if (LodeError.is(error, 'connection') || LodeError.is(error, 'config')) throw error;
      throw new LodeError('connection', `upstream ${endpoint.name} (${endpoint.url}): ${reason}`, { cause: error });
    }
    return link;
  }

  get extranonce1(): Buffer {
    return Buffer.from(this.en1);
  }

  get extranonce2Size(): number {
    return this.en2Size;
  }

  get versionMask(): number | undefined {
    return this.mask;
  }

  /**
   * Forwards one share.
   *
   * @returns accepted, or refused with the pool's message ("23 Low difficulty share" style text)
   * @throws LodeError('connection') when the link is closed or the pool does not answer
   */
  async submit(share: UpstreamShare): Promise<UpstreamVerdict> {
    if (this.isClosed) throw new LodeError('connection', `upstream ${this.name} is closed${this.closeReason ? `: ${this.closeReason}` : ''}`);
    try {
      await this.client.submit({
        workerName: share.workerName ?? this.endpoint.user,
        jobId: share.jobId,
        extranonce2: share.extranonce2,
        ntime: share.ntime,
        nonce: share.nonce,
        ...(share.versionBits === undefined ? {} : { versionBits: share.versionBits }),
      });
      return { accepted: true };
    } catch (error) {
      if (LodeError.is(error, 'share')) {
        return { accepted: false, reason: error.code === undefined ? error.message : `${error.code} ${error.message}` };
      }
      throw error;
    }
  }

  /** `mining.authorize` for one more worker (credentials passed through). */
  authorizeWorker(workerName: string, password: string): Promise<boolean> {
    if (this.isClosed) return Promise.reject(new LodeError('connection', `upstream ${this.name} is closed`));
    return this.client.authorize(workerName, password);
  }

  close(reason: string): void {
    if (this.isClosed) return;
    this.client.close(reason);
    // The session's closed$ fires synchronously for a real close; make sure ours does too.
    this.onClosed(reason);
  }

  private async handshake(): Promise<void> {
    const { client, endpoint } = this;
    const configured = await client.configure({ versionRolling: { mask: UPSTREAM_VERSION_MASK_REQUEST } });
    if (typeof configured.versionRolling === 'object') this.mask = configured.versionRolling.mask;
    // Later masks only: the configure answer itself is the negotiation above.
    this.subscriptions.add(
      client.versionMask$.subscribe((mask) => {
        if (mask === this.mask) return;
        this.mask = mask;
        this.logger.info({ versionMask: mask.toString(16).padStart(8, '0') }, 'upstream set version mask');
        this.versionMaskSubject.next(mask);
      }),
    );
    const subscribed = await client.subscribe();
    this.en1 = Buffer.from(subscribed.extranonce1);
    this.en2Size = subscribed.extranonce2Size;
    void client.extranonceSubscribe().then(
      (ok) => this.logger.debug({ ok }, 'mining.extranonce.subscribe answered'),
      () => undefined,
    );
    if (!(await client.authorize(endpoint.user, endpoint.password))) {
      throw new LodeError('connection', `upstream ${endpoint.name} refused user ${endpoint.user}`);
    }
    await this.withTimeout(this.firstJob, `no job within ${this.options.connectTimeoutMs} ms after authorize`);
  }

  private onJob(job: ClientJob): void {
    const { params } = job;
    const height = coinbaseHeight(params.coinb1);
    let target: bigint;
    try {
      target = targetFromDifficulty(job.difficulty, this.options.diff1Target);
    } catch (error) {
      this.logger.warn({ err: error, jobId: params.jobId, difficulty: job.difficulty }, 'upstream job with an unusable difficulty dropped');
      return;
    }
    this.jobsSubject.next({
      jobId: params.jobId,
      work: {
        dialect: 'bitcoin',
        prevhash: params.prevhash,
        coinb1: params.coinb1,
        coinb2: params.coinb2,
        merkleBranches: params.merkleBranches,
        version: params.version,
        nbits: params.nbits,
        ntime: params.ntime,
      },
      clean: params.cleanJobs,
      target,
      ...(height === undefined ? {} : { height }),
    });
  }

  private onClosed(reason: string): void {
    if (this.closeReason !== undefined) return;
    this.isClosed = true;
    this.closeReason = reason;
    this.subscriptions.unsubscribe();
    this.closedSubject.next(reason);
    this.closedSubject.complete();
    this.jobsSubject.complete();
    this.versionMaskSubject.complete();
    this.extranonceSubject.complete();
  }

  private withTimeout(work: Promise<void>, message: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new LodeError('connection', `upstream ${this.name}: ${message}`)), this.options.connectTimeoutMs);
      timer.unref();
      const closed = this.closedSubject.subscribe((reason) => {
        clearTimeout(timer);
        reject(new LodeError('connection', `upstream ${this.name} closed during the handshake: ${reason}`));
      });
      work.then(
        () => {
          clearTimeout(timer);
          closed.unsubscribe();
          resolve();
        },
        (e: unknown) => {
          clearTimeout(timer);
          closed.unsubscribe();
          reject(e);
        },
      );
    });
  }
}
