import type { Observable } from 'rxjs';
import { BitcoinServerSession, type BitcoinServerHandler } from '@lode/dialect-bitcoin';
import type { CoinJob } from '@lode/plugin-api';
import type { MinerSession, PoolEngine } from '@lode/pool-engine';
import { classicCodec, lazyChildLogger, RpcPeer, StratumServer, type LodeLogger, type RefusedConnection, type StratumConnection } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { jsonRpcMalformedTotal, MalformedWatch } from './malformed-watch';
import { PortProtection, type PortOptions } from './port-protection';
import { stratumServerOptions } from './server-options';
import { sessionOptionsFor } from './session-options';
import { toNotifyParams } from './to-notify-params';

/** Counters of one port, for the stats line. */
export interface PortCounters {
  connectionsTotal: number;
  sharesAccepted: number;
  sharesRejected: number;
}

/** What happened to each live session when the pool moved it to a new extranonce1. */
export interface ExtranonceMoveReport {
  /** sessions told with mining.set_extranonce (they subscribed to it) */
  moved: number;
  /** sessions sent client.reconnect instead (they did not subscribe) */
  reconnected: number;
}

/**
 * One listening Stratum v1 port: each connection becomes an RpcPeer, a
 * dialect-bitcoin server session and an engine MinerSession, glued here
 * (the engine knows no dialect; the dialect knows no engine).
 *
 * Protection (issue 10; PortProtection): banned addresses are refused on
 * connect and each admitted connection counts toward the connection-rate
 * rule; share verdicts, malformed messages (JSON-RPC error replies -32700,
 * -32600, -32601, -32602) and refused authorisations count against the
 * connection's address (the PROXY header's source on such ports). ckpool's
 * reject escalation: the current job again with clean_jobs true, then
 * `client.reconnect` with no params, then the connection is closed.
 */
export class BitcoinPort {
  private readonly server: StratumServer;
  private readonly protection: PortProtection;
  private readonly live = new Set<{ session: MinerSession; dialect: BitcoinServerSession }>();
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    /** the coin's BIP 310 server mask (0 = no version rolling) */
    private readonly versionRollingMask: number,
    options: PortOptions = {},
  ) {
    this.protection = new PortProtection(options.protection ?? {}, logger);
    this.server = new StratumServer(stratumServerOptions(config, options, this.protection.admit, config.idleTimeoutSeconds * 1000), logger);
    this.server.connections$.subscribe((conn) => this.accept(conn));
  }

  /** Connections the server refused before a session (PROXY header, limits, bans), with why. */
  get refused$(): Observable<RefusedConnection> {
    return this.server.refused$;
  }

  /** Stops following bans (after closeAll). */
  dispose(): void {
    this.protection.dispose();
  }

  /** Starts listening; resolves with the bound address (port 0 gives a real port). */
  listen(): Promise<{ host: string; port: number }> {
    return this.server.listen();
  }

  /** Stops accepting new connections; open sessions keep running. */
  stopAccepting(): Promise<void> {
    return this.server.stopAccepting();
  }

  /** Closes every open connection with the given reason. */
  closeAll(reason: string): void {
    this.server.closeAll(reason);
  }

  get connectionCount(): number {
    return this.server.connectionCount;
  }

  /**
   * Moves every subscribed session to a new extranonce1 (e.g. before handing
   * sessions to another instance): miners that subscribed to extranonce
   * changes get `mining.set_extranonce` (the clean job with the new value
   * follows); the others get `client.reconnect`.
   */
  moveExtranonces(): ExtranonceMoveReport {
    const report: ExtranonceMoveReport = { moved: 0, reconnected: 0 };
    for (const { session, dialect } of this.live) {
      if (!dialect.subscribed || dialect.isClosed) continue;
      if (dialect.extranonceSubscribed) {
        const next = session.reassignExtranonce1();
        dialect.sendExtranonce(next.extranonce1, next.extranonce2Size);
        report.moved++;
      } else {
        dialect.reconnect();
        report.reconnected++;
      }
    }
    return report;
  }

  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    // The connection's one logger, handed down to the peer, the guard and the
    // dialect session; a pino child is made only once it logs.
    const log = lazyChildLogger(this.logger, { conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
    const guard = this.protection.guard(conn.remoteAddress, log, (reason) => conn.close(reason));
    let lastJob: CoinJob | undefined;

    const handler: BitcoinServerHandler = {
      subscribe: async (req) => {
        const result = await session.subscribe(req);
        log.info(
          { userAgent: req.userAgent ?? '', extranonce1: result.extranonce1.toString('hex'), resumed: req.sessionId === result.sessionId },
          'miner subscribed',
        );
        return result;
      },
      authorize: async (req) => {
        const ok = await session.authorize(req);
        log.info({ worker: req.workerName, ok }, ok ? 'worker authorized' : 'worker refused');
        if (!ok) guard.authFailure();
        return ok;
      },
      submit: async (req) => {
        const verdict = await session.submit(req);
        if (verdict.accepted) this.counters.sharesAccepted++;
        else this.counters.sharesRejected++;
        const level = this.logShares ? 'info' : 'debug';
        if (verdict.accepted) {
          log[level](
            { worker: req.workerName, job: req.jobId, difficulty: verdict.difficulty, shareDifficulty: round(verdict.shareDifficulty), block: verdict.block },
            'share accepted',
          );
        } else {
          log[level]({ worker: req.workerName, job: req.jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
        }
        guard.share(verdict);
        return verdict;
      },
      suggestDifficulty: (d) => session.suggestDifficulty(d),
      setMinimumDifficulty: (value) => {
        const result = session.setMinimumDifficulty(value);
        if (result === true) log.info({ minimumDifficulty: value }, 'minimum difficulty set');
        else log.warn({ minimumDifficulty: value, reason: result }, 'minimum difficulty refused');
        return result;
      },
      setInfo: (info) => {
        session.setInfo(info);
        log.info({ ...info }, 'miner info');
      },
      closed: (info) => {
        this.live.delete(entry);
        events.unsubscribe();
        watch.stop();
        guard.closed();
        session.close();
        log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
      },
    };
    const dialect = new BitcoinServerSession(peer, handler, {
      logger: log,
      versionRolling: {
        serverMask: this.versionRollingMask,
        allowWithoutConfigure: this.config.versionRolling.allowWithoutConfigure,
      },
    });
    const entry = { session, dialect };
    this.live.add(entry);
    const watch = new MalformedWatch(peer, () => jsonRpcMalformedTotal(dialect.counters), (n) => guard.malformed(n));
    guard.attach({
      // ckpool's stratum_send_update: the current job again, clean
      resendWork: () => {
        if (lastJob === undefined) return false;
        dialect.sendNotify(toNotifyParams(lastJob, true));
        return true;
      },
      reconnect: () => {
        dialect.reconnect();
        return true;
      },
      drop: (reason) => dialect.close(reason),
    });
    const events = session.events$.subscribe((event) => {
      if (event.type === 'difficulty') {
        dialect.sendDifficulty(event.difficulty);
        return;
      }
      lastJob = event.job;
      dialect.sendNotify(toNotifyParams(event.job, event.clean));
    });
    if (dialect.isClosed) watch.stop();
  }
}

function round(n: number): number {
  return Number(n.toPrecision(6));
}
