import type { Observable } from 'rxjs';
import {
  BitcoinServerSession,
  type AuthorizeRequest,
  type BitcoinServerHandler,
  type MinerInfo,
  type SubmitRequest,
  type SubscribeRequest,
  type SubscribeResult,
} from '@lode/dialect-bitcoin';
import type { ShareVerdict } from '@lode/mining';
import type { CoinJob } from '@lode/plugin-api';
import type { MinerSession, PoolEngine, SessionEvent } from '@lode/pool-engine';
import {
  classicCodec,
  lazyChildLogger,
  RpcPeer,
  StratumServer,
  type CloseInfo,
  type LodeLogger,
  type MalformedMessage,
  type RefusedConnection,
  type StratumConnection,
} from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { PortProtection, type ConnectionGuard, type EscalationActions, type PortOptions } from './port-protection';
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
  private readonly live = new Set<BitcoinConnection>();
  /** what every connection of this port shares, made once */
  private readonly context: PortContext;
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  constructor(
    readonly config: PortConfig,
    engine: PoolEngine,
    logger: LodeLogger,
    logShares: boolean,
    /** the coin's BIP 310 server mask (0 = no version rolling) */
    versionRollingMask: number,
    options: PortOptions = {},
  ) {
    this.protection = new PortProtection(options.protection ?? {}, logger);
    this.context = { config, engine, logger, logShares, versionRollingMask, protection: this.protection, counters: this.counters, live: this.live };
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
    const connection = new BitcoinConnection(this.context, conn);
    if (!connection.dialect.isClosed) this.live.add(connection);
  }
}

/** What a {@link BitcoinConnection} takes from its port. */
interface PortContext {
  config: PortConfig;
  engine: PoolEngine;
  logger: LodeLogger;
  logShares: boolean;
  versionRollingMask: number;
  protection: PortProtection;
  counters: PortCounters;
  live: Set<BitcoinConnection>;
}

/**
 * One connection on a {@link BitcoinPort}: the dialect session's handler,
 * the reject escalation's actions and the engine session's event listener
 * in one object with methods (a class, not a dozen closures per connection:
 * docs/performance.md (a)).
 */
class BitcoinConnection implements BitcoinServerHandler, EscalationActions {
  readonly session: MinerSession;
  readonly dialect: BitcoinServerSession;
  private readonly log: LodeLogger;
  private readonly guard: ConnectionGuard;
  private readonly counters: PortCounters;
  private readonly live: Set<BitcoinConnection>;
  private readonly logShares: boolean;
  private lastJob: CoinJob | undefined;

  constructor(context: PortContext, conn: StratumConnection) {
    const { config, engine, logger, logShares, versionRollingMask, protection, counters, live } = context;
    this.counters = counters;
    this.live = live;
    this.logShares = logShares;
    // The connection's one logger, handed down to the peer, the guard and the
    // dialect session; it makes no pino child (lazyChildLogger).
    const log = (this.log = lazyChildLogger(logger, { conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` }));
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    this.session = engine.createSession(sessionOptionsFor(config, conn.remoteAddress));
    this.guard = protection.guard(conn.remoteAddress, log, (reason) => conn.close(reason));
    this.dialect = new BitcoinServerSession(peer, this, {
      logger: log,
      versionRolling: {
        serverMask: versionRollingMask,
        allowWithoutConfigure: config.versionRolling.allowWithoutConfigure,
      },
    });
    this.guard.attach(this);
    this.session.onEvent((event) => this.onEvent(event));
  }

  async subscribe(req: SubscribeRequest): Promise<SubscribeResult> {
    const result = await this.session.subscribe(req);
    this.log.info(
      { userAgent: req.userAgent ?? '', extranonce1: result.extranonce1.toString('hex'), resumed: req.sessionId === result.sessionId },
      'miner subscribed',
    );
    return result;
  }

  async authorize(req: AuthorizeRequest): Promise<boolean> {
    const ok = await this.session.authorize(req);
    this.log.info({ worker: req.workerName, ok }, ok ? 'worker authorized' : 'worker refused');
    if (!ok) this.guard.authFailure();
    return ok;
  }

  async submit(req: SubmitRequest): Promise<ShareVerdict> {
    const verdict = await this.session.submit(req);
    if (verdict.accepted) this.counters.sharesAccepted++;
    else this.counters.sharesRejected++;
    const level = this.logShares ? 'info' : 'debug';
    // The log object is built only when the line is written: at debug level
    // most pools never are, and this runs once per share.
    if (this.log.isLevelEnabled?.(level) !== false) {
      if (verdict.accepted) {
        this.log[level](
          { worker: req.workerName, job: req.jobId, difficulty: verdict.difficulty, shareDifficulty: round(verdict.shareDifficulty), block: verdict.block },
          'share accepted',
        );
      } else {
        this.log[level]({ worker: req.workerName, job: req.jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
      }
    }
    this.guard.share(verdict);
    return verdict;
  }

  suggestDifficulty(difficulty: number): void {
    this.session.suggestDifficulty(difficulty);
  }

  setMinimumDifficulty(value: number): true | string {
    const result = this.session.setMinimumDifficulty(value);
    if (result === true) this.log.info({ minimumDifficulty: value }, 'minimum difficulty set');
    else this.log.warn({ minimumDifficulty: value, reason: result }, 'minimum difficulty refused');
    return result;
  }

  setInfo(info: MinerInfo): void {
    this.session.setInfo(info);
    this.log.info({ ...info }, 'miner info');
  }

  malformed(message: MalformedMessage): void {
    this.guard.malformed(message);
  }

  closed(info: CloseInfo): void {
    this.live.delete(this);
    this.guard.closed();
    void this.session.close();
    this.log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
  }

  /** ckpool's stratum_send_update: the current job again, clean */
  resendWork(): boolean {
    if (this.lastJob === undefined) return false;
    this.dialect.sendNotify(toNotifyParams(this.lastJob, true));
    return true;
  }

  reconnect(): boolean {
    this.dialect.reconnect();
    return true;
  }

  drop(reason: string): void {
    this.dialect.close(reason);
  }

  private onEvent(event: SessionEvent): void {
    if (event.type === 'difficulty') {
      this.dialect.sendDifficulty(event.difficulty);
      return;
    }
    this.lastJob = event.job;
    this.dialect.sendNotify(toNotifyParams(event.job, event.clean));
  }
}

function round(n: number): number {
  return Number(n.toPrecision(6));
}
