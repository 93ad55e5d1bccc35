import { EthStratumServerSession } from '@lode/dialect-ethstratum';
import type { EthCloseInfo, EthStratumServerHandler, EthSubmitRequest, EthSubscribeRequest, EthSubscribeResult } from '@lode/dialect-ethstratum';
import { targetFromDifficulty } from '@lode/mining';
import type { ShareVerdict } from '@lode/mining';
import type { CreateSessionOptions, SubscribeRequest, WorkerStats } from '@lode/pool-engine';
import { eip1571Codec, LodeError, RpcPeer } from '@lode/stratum-core';
import type { Eip1571Params, LodeLogger, StratumConnection } from '@lode/stratum-core';
import { Subscription as RxSubscription } from 'rxjs';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { DownstreamMiner } from '../core/downstream-miner';
import type { OpenedSession } from '../core/opened-session';
import type { MinerSnapshot, ProxyPortCounters } from '../core/proxy-port';
import type { Router } from '../core/router';
import { sessionOptionsFor } from '../core/session-options';
import type { Subscription } from '../core/subscription';
import type { UpstreamGroup } from '../core/upstream-group';

/** The hello reply's `node`: the software miners talk to. */
export const ETH_PROXY_NODE = 'Lode proxy';

/** What every connection of an {@link EthProxyPort} shares. */
export interface EthConnectionContext {
  config: ProxyPortConfig;
  router: Router;
  /** the coin's difficulty-1 target (ethash: 2^256): job difficulties become `mining.set` targets with it */
  diff1Target: bigint;
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
  /** the session's events */
  watches: RxSubscription;
  /** the `mining.set` extranonce of the miner (upstream extranonce ‖ suffix) */
  extranonce: Buffer;
  /** bytes of nonce the miner rolls after it */
  nonceBytes: number;
}

/**
 * One downstream EthereumStratum/2.0.0 connection of the proxy: an RpcPeer
 * with the EIP-1571 codec, a dialect-ethstratum EthStratumServerSession and
 * a MinerSession on the upstream subscription the router picks, glued like
 * apps/pool's EthStratumPort; and a {@link DownstreamMiner} the router can move.
 *
 * - subscribe: the router opens a MinerSession on a subscription with room;
 *   the miner's extranonce (sent in `mining.set`) is the upstream extranonce
 *   followed by its suffix, and it rolls the nonce bytes after it. The port
 *   does not resume sessions (hello `resume: "0"`).
 * - Every job goes out with the target of the difficulty the engine recorded
 *   for it: the dialect sends `mining.set` with what changed, then the
 *   notify (DESIGN.md "Difficulty belongs to the job").
 * - authorize: with credentials passed through, the worker is authorized
 *   upstream first (its own password), then on the session.
 * - submit: the miner nonce is the share's extranonce2; judged by the
 *   subscription's engine at the miner's own target, upstream-worthy shares
 *   forwarded by the engine.
 * - moveTo (failover, fail-back, upstream extranonce change): EIP-1571
 *   makes the extranonce subscription implicit, so the miner always moves
 *   without reconnecting: a new MinerSession on the target group, and its
 *   first job carries the new extranonce in the `mining.set` before it.
 * - reconnect: `mining.reconnect` to the host and port the miner dialled
 *   (its hello), without resume; the dialect closes soon after.
 */
export class EthProxyConnection implements DownstreamMiner {
  readonly id: string;
  readonly remoteAddress: string;
  readonly connectedAt: number;
  /** EIP-1571: every miner takes a new extranonce from `mining.set` */
  readonly acceptsExtranonceChange = true;
  private readonly dialect: EthStratumServerSession;
  private readonly log: LodeLogger;
  private readonly create: CreateSessionOptions;
  /** worker -> password, in the order authorized */
  private readonly workers = new Map<string, string>();
  private attached: Attached | undefined;
  private request: SubscribeRequest = {};
  private accepted = 0;
  private rejected = 0;
  private closed = false;

  constructor(
    connection: StratumConnection,
    private readonly ctx: EthConnectionContext,
  ) {
    this.id = connection.id;
    this.remoteAddress = `${connection.remoteAddress ?? 'unknown'}:${connection.remotePort ?? 0}`;
    this.connectedAt = ctx.now();
    this.log = ctx.logger.child({ conn: connection.id, remote: this.remoteAddress });
    this.create = sessionOptionsFor(ctx.config, connection.remoteAddress);
    const peer = new RpcPeer<Eip1571Params>(connection, eip1571Codec, { logger: this.log, firstRequestId: 0, maxRequestId: 65535 });
    this.dialect = new EthStratumServerSession(peer, this.handler(), { node: ETH_PROXY_NODE, resume: false, logger: this.log });
  }

  get subscription(): Subscription | undefined {
    return this.attached?.opened.subscription;
  }

  /** the connection is open */
  get isOpen(): boolean {
    return !this.closed;
  }

  /**
   * Moves this miner onto `group`: a new session there; its first job goes
   * out behind a `mining.set` with the new extranonce and target.
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
    await this.restoreSession(opened);
    this.log.info({ from, to: opened.subscription.id, extranonce: result.extranonce.toString('hex') }, 'miner moved');
  }

  reconnect(reason: string): void {
    if (this.closed) return;
    this.log.info({ reason }, 'miner asked to reconnect');
    const hello = this.dialect.hello;
    if (hello === undefined) {
      this.dialect.close(`asked to reconnect: ${reason}`);
      return;
    }
    try {
      // The dialect closes the connection a moment later (reconnectGraceMs).
      this.dialect.reconnect({ host: hello.host, port: hello.port, resume: false });
    } catch (error) {
      // A hello host or port mining.reconnect cannot carry: just close.
      this.log.debug({ err: (error as Error).message }, 'mining.reconnect not sent');
      this.dialect.close(`asked to reconnect: ${reason}`);
    }
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
            extranonce1: a.extranonce.toString('hex'),
            extranonce2Size: a.nonceBytes,
            difficulty: a.opened.session.difficulty,
          }),
      accepted: this.accepted,
      rejected: this.rejected,
      hashrate,
      extranonceSubscribed: true,
      connectedAt: this.connectedAt,
    };
  }

  /** Closes the connection (the miner sees it end). */
  close(reason: string): void {
    this.dialect.close(reason);
  }

  private handler(): EthStratumServerHandler {
    return {
      subscribe: (req) => this.subscribe(req),
      authorize: (req) => this.authorize(req.workerName, req.password),
      submit: (req) => this.submit(req),
      closed: (info) => this.onClosed(info),
    };
  }

  private async subscribe(req: EthSubscribeRequest): Promise<EthSubscribeResult> {
    // The proxy does not resume: a resumed session would have to be on the same upstream subscription.
    this.request = { userAgent: req.userAgent };
    const opened = await this.ctx.router.openSession(this, this.create, this.request);
    if (this.closed) {
      void opened.session.close({ abandon: true });
      this.ctx.router.release(this);
      throw new LodeError('connection', 'the miner disconnected during subscribe');
    }
    const result = this.attach(opened);
    this.log.info(
      {
        userAgent: req.userAgent,
        upstream: opened.subscription.group,
        subscription: opened.subscription.id,
        extranonce: result.extranonce.toString('hex'),
        nonceBytes: result.nonceBytes,
      },
      'miner subscribed',
    );
    return { sessionId: opened.result.sessionId, extranonce: result.extranonce, workers: [], resumed: false };
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

  private async submit(req: EthSubmitRequest): Promise<ShareVerdict> {
    const a = this.attached;
    if (a === undefined) {
      return { accepted: false, reason: 'not-subscribed', message: 'not subscribed: send mining.subscribe first' };
    }
    a.opened.subscription.noteSubmitter(a.extranonce, req.workerName);
    const verdict = await a.opened.session.submit({ workerName: req.workerName, jobId: req.jobId, extranonce2: req.minerNonce, ntime: 0, nonce: 0 });
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
          nonce: req.nonce.toString('hex'),
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

  /** Makes `opened` this connection's session: its jobs go to the miner with its extranonce. */
  private attach(opened: OpenedSession): Attached {
    const { session, result } = opened;
    const watches = new RxSubscription();
    const attached: Attached = { opened, watches, extranonce: Buffer.from(result.extranonce1), nonceBytes: result.extranonce2Size };
    watches.add(
      session.events$.subscribe((event) => {
        // A new difficulty travels with the next job's mining.set.
        if (event.type !== 'job') return;
        const work = event.job.work;
        if (work.dialect !== 'ethstratum') {
          this.log.error({ coin: event.job.coin, dialect: work.dialect }, 'the upstream produces work an ethstratum port cannot send; closing');
          this.dialect.close(`coin ${event.job.coin} produces ${work.dialect} work`);
          return;
        }
        this.dialect.sendJob({
          jobId: event.job.id,
          height: event.job.height,
          headerHash: work.headerHash,
          clean: event.clean,
          epoch: work.epoch,
          algo: work.algo,
          target: targetFromDifficulty(event.difficulty, this.ctx.diff1Target),
          extranonce: attached.extranonce,
        });
      }),
    );
    this.attached = attached;
    return attached;
  }

  /** Authorizes the connection's workers on a new session (the first authorize starts its events: difficulty, then a clean job). */
  private async restoreSession(opened: OpenedSession): Promise<void> {
    const { session, subscription } = opened;
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
    a.opened.subscription.forgetSubmitter(a.extranonce);
    void a.opened.session.close({ abandon: true });
  }

  private onClosed(info: EthCloseInfo): void {
    this.closed = true;
    this.detach();
    this.ctx.router.release(this);
    this.log.info({ reason: info.reason, byPeer: info.byPeer, bye: info.bye }, 'miner disconnected');
  }
}
