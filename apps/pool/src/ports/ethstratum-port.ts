import { EthStratumServerSession, type EthStratumServerHandler } from '@lode/dialect-ethstratum';
import { targetFromDifficulty } from '@lode/mining';
import type { MinerSession, PoolEngine } from '@lode/pool-engine';
import {
  eip1571Codec,
  LodeError,
  RpcPeer,
  StratumServer,
  type Eip1571Params,
  type LodeLogger,
  type StratumConnection,
} from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { sessionOptionsFor } from './session-options';
import type { ExtranonceMoveReport, PortCounters } from './bitcoin-port';
import type { StratumPort } from './stratum-port';

/** The hello reply's `node` when the config names none. */
const DEFAULT_NODE = 'Lode pool';
/** Worker hashrates are read from a stats snapshot at most this old, ms. */
const SNAPSHOT_MAX_AGE_MS = 5000;

interface Live {
  session: MinerSession;
  dialect: EthStratumServerSession;
  /** the extranonce the session's next jobs carry (mining.set), raw bytes */
  extranonce: Buffer | undefined;
  accepted: number;
  stale: number;
  rejected: number;
}

/**
 * One listening EthereumStratum/2.0.0 port (specs/003_fafafa51dc5fa36a.txt):
 * each connection becomes an RpcPeer with the EIP-1571 codec, a
 * dialect-ethstratum server session and an engine MinerSession, glued here.
 *
 * - The session's extranonce1 is the `mining.set` extranonce (the coin sets
 *   its size, CoinPlugin.extranonceSizes); the miner's nonce suffix is the
 *   share's extranonce2, so the engine rebuilds the 8-byte nonce.
 * - Each job goes out with the target of the difficulty the engine recorded
 *   for it (DESIGN.md "Difficulty belongs to the job"): the dialect sends a
 *   `mining.set` with whatever changed, then the `mining.notify`, so a new
 *   target applies to the next job exactly as the spec says.
 * - Accepted-stale shares (engine acceptStaleHeights) are answered 202.
 * - `mining.bye` abandons the session (no resume); any other close keeps it
 *   for resume (MinerSession.close).
 * - Every `hashrateNotifySeconds` each session gets the server's
 *   `mining.hashrate` notification: the summed hashrate of its workers over
 *   the engine's stats window, and its accepted/stale/rejected counts.
 */
export class EthStratumPort implements StratumPort {
  private readonly server: StratumServer;
  private readonly live = new Set<Live>();
  private readonly hashrateTimer: NodeJS.Timeout | undefined;
  private readonly settings: NonNullable<PortConfig['ethstratum']>;
  private snapshot: { time: number; windowSeconds: number; byWorker: Map<string, number> } | undefined;
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  /**
   * @param diff1Target the coin's difficulty-1 target (ethash: 2^256), to turn job difficulties into mining.set targets
   * @throws LodeError('config') when the port's dialect is not ethstratum
   */
  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly diff1Target: bigint,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    tls?: { cert: Buffer; key: Buffer },
  ) {
    if (config.dialect !== 'ethstratum' || config.ethstratum === undefined) {
      throw new LodeError('config', `port ${config.name} speaks ${config.dialect}, not ethstratum (or has no ethstratum section)`);
    }
    this.settings = config.ethstratum;
    this.server = new StratumServer(
      {
        host: config.host,
        port: config.port,
        tls,
        maxLineBytes: config.maxLineBytes,
        // The dialect enforces the hello reply's `timeout`; this is the socket's backstop.
        idleTimeoutMs: Math.max(config.idleTimeoutSeconds, config.ethstratum.timeoutSeconds + 30) * 1000,
      },
      logger,
    );
    this.server.connections$.subscribe((conn) => this.accept(conn));
    const every = this.settings.hashrateNotifySeconds;
    this.hashrateTimer = every > 0 ? setInterval(() => this.notifyHashrates(), every * 1000).unref() : undefined;
  }

  listen(): Promise<{ host: string; port: number }> {
    return this.server.listen();
  }

  stopAccepting(): Promise<void> {
    return this.server.stopAccepting();
  }

  closeAll(reason: string): void {
    this.dispose();
    this.server.closeAll(reason);
  }

  dispose(): void {
    if (this.hashrateTimer !== undefined) clearInterval(this.hashrateTimer);
  }

  get connectionCount(): number {
    return this.server.connectionCount;
  }

  /**
   * Moves every subscribed session to a new extranonce1. EIP-1571 makes the
   * extranonce subscription implicit, so every miner gets the new value in
   * the `mining.set` before the clean job the engine re-sends; none is
   * reconnected.
   */
  moveExtranonces(): ExtranonceMoveReport {
    const report: ExtranonceMoveReport = { moved: 0, reconnected: 0 };
    for (const entry of this.live) {
      if (entry.extranonce === undefined || entry.session.closed) continue;
      entry.extranonce = entry.session.reassignExtranonce1().extranonce1;
      report.moved++;
    }
    return report;
  }

  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    const log = this.logger.child({ conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const peer = new RpcPeer<Eip1571Params>(conn, eip1571Codec, { logger: log, firstRequestId: 0, maxRequestId: 65535 });
    const ethstratum = this.settings;
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
    const handler: EthStratumServerHandler = {
      subscribe: async (req) => {
        const result = await session.subscribe(req);
        entry.extranonce = result.extranonce1;
        const resumed = req.sessionId !== undefined && req.sessionId === result.sessionId;
        log.info(
          { userAgent: req.userAgent ?? '', extranonce: result.extranonce1.toString('hex'), sessionId: result.sessionId, resumed },
          resumed ? 'miner resumed its session' : 'miner subscribed',
        );
        return { sessionId: result.sessionId, extranonce: result.extranonce1, workers: [...session.authorizedWorkers], resumed };
      },
      authorize: async (req) => {
        const ok = await session.authorize(req);
        log.info({ worker: req.workerName, ok }, ok ? 'worker authorized' : 'worker refused');
        return ok;
      },
      submit: async (req) => {
        const verdict = await session.submit({
          workerName: req.workerName,
          jobId: req.jobId,
          extranonce2: req.minerNonce,
          ntime: 0,
          nonce: 0,
        });
        const level = this.logShares ? 'info' : 'debug';
        if (verdict.accepted) {
          this.counters.sharesAccepted++;
          entry.accepted++;
          if (verdict.stale === true) entry.stale++;
          log[level](
            {
              worker: req.workerName,
              job: req.jobId,
              difficulty: verdict.difficulty,
              shareDifficulty: Number(verdict.shareDifficulty.toPrecision(6)),
              block: verdict.block,
              stale: verdict.stale === true,
            },
            verdict.stale === true ? 'share accepted (stale)' : 'share accepted',
          );
        } else {
          this.counters.sharesRejected++;
          entry.rejected++;
          log[level]({ worker: req.workerName, job: req.jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
        }
        return verdict;
      },
      hashrate: (req) => {
        log.debug({ worker: req.workerName, hashrate: req.hashrate.toString() }, 'miner reported its hashrate');
        const ours = this.workerHashrates().get(req.workerName);
        return ours === undefined ? undefined : BigInt(Math.round(ours));
      },
      closed: (info) => {
        this.live.delete(entry);
        events.unsubscribe();
        void session.close({ abandon: info.bye });
        log.info({ reason: info.reason, byPeer: info.byPeer, bye: info.bye }, 'miner disconnected');
      },
    };
    const dialect = new EthStratumServerSession(peer, handler, {
      node: ethstratum.node ?? DEFAULT_NODE,
      encoding: ethstratum.encoding,
      resume: ethstratum.resume,
      timeoutSeconds: ethstratum.timeoutSeconds,
      maxErrors: ethstratum.maxErrors,
      hashrateMinIntervalMs: ethstratum.hashrateMinIntervalSeconds * 1000,
      logger: log,
    });
    const entry: Live = { session, dialect, extranonce: undefined, accepted: 0, stale: 0, rejected: 0 };
    this.live.add(entry);
    const events = session.events$.subscribe((event) => {
      if (event.type !== 'job') return; // a new difficulty travels with the next job's mining.set
      const work = event.job.work;
      if (work.dialect !== 'ethstratum') {
        log.error({ coin: event.job.coin, dialect: work.dialect }, 'the coin produces work an ethstratum port cannot send; closing');
        peer.close(`coin ${event.job.coin} produces ${work.dialect} work`);
        return;
      }
      dialect.sendJob({
        jobId: event.job.id,
        height: event.job.height,
        headerHash: work.headerHash,
        clean: event.clean,
        epoch: work.epoch,
        algo: work.algo,
        target: targetFromDifficulty(event.difficulty, this.diff1Target),
        extranonce: entry.extranonce ?? Buffer.alloc(0),
      });
    });
  }

  /** one stats snapshot per SNAPSHOT_MAX_AGE_MS: worker -> hashrate (H/s) */
  private workerHashrates(): Map<string, number> {
    return this.stats().byWorker;
  }

  private stats(): { windowSeconds: number; byWorker: Map<string, number> } {
    const now = Date.now();
    if (this.snapshot === undefined || now - this.snapshot.time > SNAPSHOT_MAX_AGE_MS) {
      const stats = this.engine.stats.snapshot(now);
      this.snapshot = {
        time: now,
        windowSeconds: stats.windowSeconds,
        byWorker: new Map(stats.workers.map((w) => [w.worker, w.hashrate])),
      };
    }
    return this.snapshot;
  }

  private notifyHashrates(): void {
    if (this.live.size === 0) return;
    const { byWorker: rates, windowSeconds } = this.stats();
    const intervalMinutes = Math.max(1, Math.round(windowSeconds / 60));
    for (const entry of this.live) {
      if (entry.extranonce === undefined || entry.session.closed) continue;
      let hashrate = 0;
      for (const worker of entry.session.authorizedWorkers) hashrate += rates.get(worker) ?? 0;
      entry.dialect.sendHashrate({
        intervalMinutes,
        hashrate: BigInt(Math.round(hashrate)),
        accepted: entry.accepted,
        stale: entry.stale,
        rejected: entry.rejected,
      });
    }
  }
}
