import { WarthogServerSession } from '@lode/dialect-warthog';
import type { WarthogServerHandler, WarthogSubmitRequest, WarthogSubscribeRequest, WarthogSubscribeResult } from '@lode/dialect-warthog';
import type { ShareVerdict } from '@lode/mining';
import type { CreateSessionOptions, SubscribeRequest, WorkerStats } from '@lode/pool-engine';
import { classicCodec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { CloseInfo, LodeLogger, StratumConnection } from '@lode/stratum-core';
import { Subscription as RxSubscription } from 'rxjs';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { DownstreamMiner } from '../core/downstream-miner';
import type { OpenedSession } from '../core/opened-session';
import type { MinerSnapshot, ProxyPortCounters } from '../core/proxy-port';
import type { Router } from '../core/router';
import { sessionOptionsFor } from '../core/session-options';
import type { Subscription } from '../core/subscription';

/** What every connection of a {@link WarthogProxyPort} shares. */
export interface WarthogConnectionContext {
  config: ProxyPortConfig;
  router: Router;
  logger: LodeLogger;
  logShares: boolean;
  /** the port's counters (this connection adds to them) */
  counters: ProxyPortCounters;
  /** per-connection share statistics, keyed by connection id */
  stats: WorkerStats;
  /** clock, ms since epoch */
  now: () => number;
}

/** The session this connection mines on, and what watches it. */
interface Attached {
  opened: OpenedSession;
  /** the session's events */
  watches: RxSubscription;
  /** the extranonce1 given to the miner (upstream extranonce1 ‖ suffix) */
  extranonce1: Buffer;
  extranonce2Size: number;
}

/**
 * One downstream Warthog stratum connection of the proxy: an RpcPeer with
 * the classic codec, a dialect-warthog WarthogServerSession and a
 * MinerSession on the upstream subscription the router picks, glued like
 * apps/pool's WarthogPort; and a {@link DownstreamMiner} for the router.
 *
 * - subscribe: the router opens a MinerSession on a subscription with room;
 *   extranonce1 = upstream extranonce1 ‖ suffix, and the two extranonces
 *   still make 10 bytes (upstream 4 + 6 gives the miners 6 + 4, janusminer's
 *   minimum; facts/warthog.md §7).
 * - A new difficulty goes out as `mining.set_difficulty` and applies to the
 *   next notify (DESIGN.md "Difficulty belongs to the job"); a share's
 *   target is 1/difficulty (no 2^32).
 * - authorize: with credentials passed through, the worker is authorized
 *   upstream first (the config allows it only where the upstream link can
 *   name workers), then on the session.
 * - submit: judged by the subscription's engine at the miner's own target;
 *   upstream-worthy shares are forwarded by the engine.
 * - Warthog stratum has no `set_extranonce`: the router never moves these
 *   miners, it asks them to reconnect (`client.reconnect`, then close).
 */
export class WarthogProxyConnection implements DownstreamMiner {
  readonly id: string;
  readonly remoteAddress: string;
  readonly connectedAt: number;
  /** Warthog stratum cannot change a miner's extranonce: always reconnect */
  readonly acceptsExtranonceChange = false;
  private readonly dialect: WarthogServerSession;
  private readonly log: LodeLogger;
  private readonly create: CreateSessionOptions;
  /** worker -> password, in the order authorized */
  private readonly workers = new Map<string, string>();
  private attached: Attached | undefined;
  private request: SubscribeRequest = {};
  private suggested: number | undefined;
  private accepted = 0;
  private rejected = 0;
  private closed = false;

  constructor(
    connection: StratumConnection,
    private readonly ctx: WarthogConnectionContext,
  ) {
    this.id = connection.id;
    this.remoteAddress = `${connection.remoteAddress ?? 'unknown'}:${connection.remotePort ?? 0}`;
    this.connectedAt = ctx.now();
    this.log = ctx.logger.child({ conn: connection.id, remote: this.remoteAddress });
    this.create = sessionOptionsFor(ctx.config, connection.remoteAddress);
    const peer = new RpcPeer(connection, classicCodec, { logger: this.log });
    this.dialect = new WarthogServerSession(peer, this.handler(), { logger: this.log });
  }

  get subscription(): Subscription | undefined {
    return this.attached?.opened.subscription;
  }

  /** the connection is open */
  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Warthog stratum has no way to hand a miner a new extranonce1.
   *
   * @throws LodeError('connection') always: the router then asks the miner to reconnect
   */
  moveTo(): Promise<void> {
    return Promise.reject(new LodeError('connection', 'a Warthog miner cannot take a new extranonce1 without reconnecting'));
  }

  reconnect(reason: string): void {
    if (this.closed) return;
    this.log.info({ reason }, 'miner asked to reconnect');
    this.dialect.reconnect();
    this.dialect.close(`asked to reconnect: ${reason}`);
  }

  /** What the stats API shows of this connection. */
  snapshot(hashrate: number): MinerSnapshot {
    const a = this.attached;
    return {
      id: this.id,
      port: this.ctx.config.name,
      remoteAddress: this.remoteAddress,
      ...(this.request.userAgent === undefined ? {} : { userAgent: this.request.userAgent }),
      workers: [...this.workers.keys()],
      ...(a === undefined
        ? {}
        : {
            upstream: a.opened.subscription.group,
            subscription: a.opened.subscription.id,
            extranonce1: a.extranonce1.toString('hex'),
            extranonce2Size: a.extranonce2Size,
            difficulty: a.opened.session.difficulty,
          }),
      accepted: this.accepted,
      rejected: this.rejected,
      hashrate,
      extranonceSubscribed: false,
      connectedAt: this.connectedAt,
    };
  }

  /** Closes the connection (the miner sees it end). */
  close(reason: string): void {
    this.dialect.close(reason);
  }

  private handler(): WarthogServerHandler {
    return {
      subscribe: (req) => this.subscribe(req),
      authorize: (req) => this.authorize(req.workerName, req.password),
      submit: (req) => this.submit(req),
      suggestDifficulty: (d) => {
        this.suggested = d;
        this.attached?.opened.session.suggestDifficulty(d);
      },
      closed: (info) => this.onClosed(info),
    };
  }

  private async subscribe(req: WarthogSubscribeRequest): Promise<WarthogSubscribeResult> {
    // The proxy does not resume: a resumed session would have to be on the same upstream subscription.
    this.request = req.userAgent === undefined ? {} : { userAgent: req.userAgent };
    const opened = await this.ctx.router.openSession(this, this.create, this.request);
    if (this.closed) {
      void opened.session.close({ abandon: true });
      this.ctx.router.release(this);
      throw new LodeError('connection', 'the miner disconnected during subscribe');
    }
    const result = this.attach(opened);
    this.log.info(
      {
        userAgent: req.userAgent ?? '',
        upstream: opened.subscription.group,
        subscription: opened.subscription.id,
        extranonce1: result.extranonce1.toString('hex'),
        extranonce2Size: result.extranonce2Size,
      },
      'miner subscribed',
    );
    // Workers authorized before subscribe, and a difficulty suggested meanwhile.
    void this.restoreSession(opened).catch((error: unknown) => this.log.warn({ err: error }, 'authorizing workers on the new session failed'));
    return { extranonce1: result.extranonce1, extranonce2Size: result.extranonce2Size, sessionId: opened.result.sessionId };
  }

  private async authorize(workerName: string, password: string): Promise<boolean> {
    const a = this.attached;
    let ok = true;
    if (a !== undefined) {
      ok = (await a.opened.subscription.authorizeWorker(workerName, password)) && (await a.opened.session.authorize({ workerName, password }));
    }
    if (ok) this.workers.set(workerName, password);
    this.log.info({ worker: workerName, ok }, ok ? 'worker authorized' : 'worker refused');
    return ok;
  }

  private async submit(req: WarthogSubmitRequest): Promise<ShareVerdict> {
    const a = this.attached;
    if (a === undefined) {
      return { accepted: false, reason: 'not-subscribed', message: 'not subscribed: send mining.subscribe first' };
    }
    a.opened.subscription.noteSubmitter(a.extranonce1, req.workerName);
    const verdict = await a.opened.session.submit({
      workerName: req.workerName,
      jobId: req.jobId,
      extranonce2: req.extranonce2,
      ntime: req.ntime,
      nonce: req.nonce,
    });
    const now = this.ctx.now();
    if (verdict.accepted) {
      this.accepted++;
      this.ctx.counters.sharesAccepted++;
      this.ctx.stats.record(this.id, 'accepted', verdict.difficulty, now);
    } else {
      this.rejected++;
      this.ctx.counters.sharesRejected++;
      this.ctx.stats.record(this.id, verdict.reason, 0, now);
    }
    const level = this.ctx.logShares ? 'info' : 'debug';
    if (verdict.accepted) {
      this.log[level](
        {
          worker: req.workerName,
          job: req.jobId,
          difficulty: verdict.difficulty,
          shareDifficulty: Number(verdict.shareDifficulty.toPrecision(6)),
          upstream: verdict.block ? a.opened.subscription.group : undefined,
        },
        'share accepted',
      );
    } else {
      this.log[level]({ worker: req.workerName, job: req.jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
    }
    return verdict;
  }

  /** Makes `opened` this connection's session: its difficulties and jobs go to the miner. */
  private attach(opened: OpenedSession): Attached {
    const { session, result } = opened;
    const watches = new RxSubscription();
    watches.add(
      session.events$.subscribe((event) => {
        if (event.type === 'difficulty') {
          this.dialect.sendDifficulty(event.difficulty);
          return;
        }
        const work = event.job.work;
        if (work.dialect !== 'warthog') {
          this.log.error({ coin: event.job.coin, dialect: work.dialect }, 'the upstream produces work a warthog port cannot send; closing');
          this.dialect.close(`coin ${event.job.coin} produces ${work.dialect} work`);
          return;
        }
        this.dialect.sendNotify({
          jobId: event.job.id,
          prevHash: work.prevHash,
          merklePrefix: work.merklePrefix,
          version: work.version,
          nbits: work.nbits,
          ntime: work.ntime,
          clean: event.clean,
        });
      }),
    );
    const attached: Attached = { opened, watches, extranonce1: Buffer.from(result.extranonce1), extranonce2Size: result.extranonce2Size };
    this.attached = attached;
    return attached;
  }

  /** Puts the connection's workers and difficulty wish on a new session (the first authorize starts its events). */
  private async restoreSession(opened: OpenedSession): Promise<void> {
    const { session, subscription } = opened;
    if (this.suggested !== undefined) session.suggestDifficulty(this.suggested);
    for (const [workerName, password] of this.workers) {
      if (this.attached?.opened !== opened) return;
      const ok = (await subscription.authorizeWorker(workerName, password)) && (await session.authorize({ workerName, password }));
      if (!ok) this.log.warn({ worker: workerName, upstream: subscription.group }, 'worker refused on the new upstream');
    }
  }

  private detach(): void {
    const a = this.attached;
    if (a === undefined) return;
    this.attached = undefined;
    a.watches.unsubscribe();
    a.opened.subscription.forgetSubmitter(a.extranonce1);
    void a.opened.session.close({ abandon: true });
  }

  private onClosed(info: CloseInfo): void {
    this.closed = true;
    this.detach();
    this.ctx.router.release(this);
    this.log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
  }
}
