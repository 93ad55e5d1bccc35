import { BitcoinServerSession } from '@lode/dialect-bitcoin';
import type { BitcoinServerHandler, MinerInfo, SubscribeRequest, SubscribeResult } from '@lode/dialect-bitcoin';
import type { ShareVerdict } from '@lode/mining';
import type { CreateSessionOptions, WorkerStats } from '@lode/pool-engine';
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
import type { UpstreamGroup } from '../core/upstream-group';
import { toNotifyParams } from './to-notify-params';

/** What every connection of a {@link BitcoinProxyPort} shares. */
export interface BitcoinConnectionContext {
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

/** The session this connection mines on now, and what watches it. */
interface Attached {
  opened: OpenedSession;
  /** the session's events and the link's version masks */
  watches: RxSubscription;
  /** the extranonce1 given to the miner (upstream extranonce1 ‖ suffix) */
  extranonce1: Buffer;
  extranonce2Size: number;
}

/**
 * One downstream Stratum v1 connection of the proxy: an RpcPeer, a
 * dialect-bitcoin BitcoinServerSession and a MinerSession on the upstream
 * subscription the router picks, glued like apps/pool's BitcoinPort; and a
 * {@link DownstreamMiner} the router can move.
 *
 * - subscribe: the router opens a MinerSession on a subscription with room
 *   (extranonce1 = upstream extranonce1 ‖ suffix); the connection's BIP 310
 *   server mask becomes the link's negotiated mask (a `mining.configure`
 *   before subscribe is answered with the mask of the upstream the router
 *   would pick), and follows the link's `mining.set_version_mask`.
 * - authorize: with credentials passed through, the worker is authorized
 *   upstream first; workers authorized before subscribe are authorized on
 *   the session once it exists.
 * - submit: judged by the subscription's engine at the miner's own target;
 *   upstream-worthy shares are forwarded by the engine.
 * - moveTo: a new MinerSession on the target group, then
 *   `mining.set_extranonce`, the difficulty and a clean job; the old session closes.
 */
export class BitcoinProxyConnection implements DownstreamMiner {
  readonly id: string;
  readonly remoteAddress: string;
  readonly connectedAt: number;
  private readonly dialect: BitcoinServerSession;
  private readonly log: LodeLogger;
  private readonly create: CreateSessionOptions;
  /** worker -> password, in the order authorized */
  private readonly workers = new Map<string, string>();
  private attached: Attached | undefined;
  private request: SubscribeRequest = {};
  private suggested: number | undefined;
  private minimum: number | undefined;
  private info: MinerInfo | undefined;
  private accepted = 0;
  private rejected = 0;
  private closed = false;

  constructor(
    connection: StratumConnection,
    private readonly ctx: BitcoinConnectionContext,
  ) {
    this.id = connection.id;
    this.remoteAddress = `${connection.remoteAddress ?? 'unknown'}:${connection.remotePort ?? 0}`;
    this.connectedAt = ctx.now();
    this.log = ctx.logger.child({ conn: connection.id, remote: this.remoteAddress });
    this.create = sessionOptionsFor(ctx.config, connection.remoteAddress);
    const peer = new RpcPeer(connection, classicCodec, { logger: this.log });
    this.dialect = new BitcoinServerSession(peer, this.handler(), {
      logger: this.log,
      versionRolling: {
        serverMask: ctx.router.versionMaskHint() ?? 0,
        allowWithoutConfigure: ctx.config.versionRolling.allowWithoutConfigure,
      },
    });
  }

  get acceptsExtranonceChange(): boolean {
    return this.dialect.extranonceSubscribed;
  }

  get subscription(): Subscription | undefined {
    return this.attached?.opened.subscription;
  }

  /** the connection is open */
  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Moves this miner onto `group`: a new session there, `mining.set_extranonce`
   * with its extranonce1, then (from the session) the difficulty and a clean job.
   *
   * @throws LodeError('connection') when the connection closed, or from the group
   */
  async moveTo(group: UpstreamGroup): Promise<void> {
    if (this.closed) throw new LodeError('connection', 'the miner disconnected');
    const from = this.attached?.opened.subscription.id;
    const opened = await group.openSession(this.create, this.request);
    if (this.closed) {
      void opened.session.close({ abandon: true });
      throw new LodeError('connection', 'the miner disconnected during the move');
    }
    this.detach();
    const result = this.attach(opened);
    // Before the session's first events: the miner builds the next job with the new extranonce.
    this.dialect.sendExtranonce(result.extranonce1, result.extranonce2Size);
    await this.restoreSession(opened);
    this.log.info(
      { from, to: opened.subscription.id, extranonce1: result.extranonce1.toString('hex'), extranonce2Size: result.extranonce2Size },
      'miner moved',
    );
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
      extranonceSubscribed: this.dialect.extranonceSubscribed,
      connectedAt: this.connectedAt,
    };
  }

  /** Closes the connection (the miner sees it end). */
  close(reason: string): void {
    this.dialect.close(reason);
  }

  private handler(): BitcoinServerHandler {
    return {
      subscribe: (req) => this.subscribe(req),
      authorize: (req) => this.authorize(req.workerName, req.password),
      submit: (req) => this.submit(req),
      suggestDifficulty: (d) => {
        this.suggested = d;
        this.attached?.opened.session.suggestDifficulty(d);
      },
      setMinimumDifficulty: (value) => {
        const session = this.attached?.opened.session;
        if (session === undefined) {
          // Applied to the session once it exists (it may still refuse it then, with a log line).
          this.minimum = value;
          return true;
        }
        const result = session.setMinimumDifficulty(value);
        if (result === true) this.minimum = value;
        return result;
      },
      setInfo: (info) => {
        this.info = info;
        this.attached?.opened.session.setInfo(info);
      },
      closed: (info) => this.onClosed(info),
    };
  }

  private async subscribe(req: SubscribeRequest): Promise<SubscribeResult> {
    // A resumed session would have to be on the same subscription: the proxy does not resume.
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
    // Workers authorized before subscribe, and what the miner configured meanwhile.
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

  private async submit(req: Parameters<BitcoinServerHandler['submit']>[0]): Promise<ShareVerdict> {
    const a = this.attached;
    if (a === undefined) {
      return { accepted: false, reason: 'not-subscribed', message: 'not subscribed: send mining.subscribe first' };
    }
    a.opened.subscription.noteSubmitter(a.extranonce1, req.workerName);
    const verdict = await a.opened.session.submit(req);
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

  /** Makes `opened` this connection's session: events to the miner, the link's mask as the server mask. */
  private attach(opened: OpenedSession): Attached {
    const { session, subscription, result } = opened;
    const watches = new RxSubscription();
    this.dialect.setServerMask(subscription.link.versionMask ?? 0);
    watches.add(subscription.link.versionMask$.subscribe((mask) => this.dialect.setServerMask(mask)));
    watches.add(
      session.events$.subscribe((event) => {
        if (event.type === 'difficulty') this.dialect.sendDifficulty(event.difficulty);
        else this.dialect.sendNotify(toNotifyParams(event.job, event.clean));
      }),
    );
    const attached: Attached = { opened, watches, extranonce1: Buffer.from(result.extranonce1), extranonce2Size: result.extranonce2Size };
    this.attached = attached;
    return attached;
  }

  /** Puts the connection's workers, difficulty wishes and info on a new session (the first authorize starts its events). */
  private async restoreSession(opened: OpenedSession): Promise<void> {
    const { session, subscription } = opened;
    if (this.suggested !== undefined) session.suggestDifficulty(this.suggested);
    if (this.minimum !== undefined) {
      const result = session.setMinimumDifficulty(this.minimum);
      if (result !== true) this.log.warn({ minimumDifficulty: this.minimum, reason: result }, 'minimum difficulty refused');
    }
    if (this.info !== undefined) session.setInfo(this.info);
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
