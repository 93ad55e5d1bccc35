import type { Observable } from 'rxjs';
import { WarthogServerSession, type WarthogNotifyParams, type WarthogServerHandler } from '@lode/dialect-warthog';
import type { MinerSession, PoolEngine } from '@lode/pool-engine';
import { classicCodec, lazyChildLogger, LodeError, RpcPeer, StratumServer, type LodeLogger, type RefusedConnection, type StratumConnection } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import type { ExtranonceMoveReport, PortCounters } from './bitcoin-port';
import { PortProtection, type PortOptions } from './port-protection';
import { stratumServerOptions } from './server-options';
import { sessionOptionsFor } from './session-options';
import type { StratumPort } from './stratum-port';

/**
 * One listening Warthog stratum port (specs/004_8dfd75be62003ef5.txt;
 * facts/warthog.md §7): each connection becomes an RpcPeer with the classic
 * codec, a dialect-warthog server session and an engine MinerSession, glued
 * here. The coin sets extranonce1 + extranonce2 = 10 bytes (4 + 6 by
 * default: the reference miner fails below 4). A share's difficulty is the
 * inverse of its target (no 2^32 factor); a new difficulty applies to the
 * next job (DESIGN.md "Difficulty belongs to the job").
 *
 * Protection as on BitcoinPort (PortProtection): bans, malformed messages
 * (-32700, -32600, -32601, -32602 replies), refused authorisations, and
 * ckpool's reject escalation: the current job again with clean true, then
 * Warthog's `client.reconnect` (no params), then the connection is closed.
 */
export class WarthogPort implements StratumPort {
  private readonly server: StratumServer;
  private readonly protection: PortProtection;
  private readonly live = new Set<{ session: MinerSession; dialect: WarthogServerSession }>();
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  /** @throws LodeError('config') when the port's dialect is not warthog */
  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    options: PortOptions = {},
  ) {
    if (config.dialect !== 'warthog') throw new LodeError('config', `port ${config.name} speaks ${config.dialect}, not warthog`);
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

  listen(): Promise<{ host: string; port: number }> {
    return this.server.listen();
  }

  stopAccepting(): Promise<void> {
    return this.server.stopAccepting();
  }

  closeAll(reason: string): void {
    this.server.closeAll(reason);
  }

  get connectionCount(): number {
    return this.server.connectionCount;
  }

  /**
   * Warthog stratum has no `mining.set_extranonce`: every subscribed session
   * is asked to reconnect (`client.reconnect`) and gets a new extranonce1 then.
   */
  moveExtranonces(): ExtranonceMoveReport {
    const report: ExtranonceMoveReport = { moved: 0, reconnected: 0 };
    for (const { dialect } of this.live) {
      if (!dialect.subscribed || dialect.isClosed) continue;
      dialect.reconnect();
      report.reconnected++;
    }
    return report;
  }

  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    const log = lazyChildLogger(this.logger, { conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
    const guard = this.protection.guard(conn.remoteAddress, log, (reason) => conn.close(reason));
    let lastJob: WarthogNotifyParams | undefined;
    const handler: WarthogServerHandler = {
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
        const verdict = await session.submit({ workerName: req.workerName, jobId: req.jobId, extranonce2: req.extranonce2, ntime: req.ntime, nonce: req.nonce });
        const level = this.logShares ? 'info' : 'debug';
        if (verdict.accepted) {
          this.counters.sharesAccepted++;
          log[level](
            { worker: req.workerName, job: req.jobId, difficulty: verdict.difficulty, shareDifficulty: Number(verdict.shareDifficulty.toPrecision(6)), block: verdict.block },
            'share accepted',
          );
        } else {
          this.counters.sharesRejected++;
          log[level]({ worker: req.workerName, job: req.jobId, reason: verdict.reason, detail: verdict.message }, 'share rejected');
        }
        guard.share(verdict);
        return verdict;
      },
      suggestDifficulty: (d) => session.suggestDifficulty(d),
      malformed: (message) => guard.malformed(message),
      closed: (info) => {
        this.live.delete(entry);
        guard.closed();
        void session.close();
        log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
      },
    };
    const dialect = new WarthogServerSession(peer, handler, { logger: log });
    const entry = { session, dialect };
    this.live.add(entry);
    guard.attach({
      resendWork: () => {
        if (lastJob === undefined) return false;
        dialect.sendNotify({ ...lastJob, clean: true });
        return true;
      },
      reconnect: () => {
        dialect.reconnect();
        return true;
      },
      drop: (reason) => dialect.close(reason),
    });
    session.onEvent((event) => {
      if (event.type === 'difficulty') {
        dialect.sendDifficulty(event.difficulty);
        return;
      }
      const work = event.job.work;
      if (work.dialect !== 'warthog') {
        log.error({ coin: event.job.coin, dialect: work.dialect }, 'the coin produces work a warthog port cannot send; closing');
        peer.close(`coin ${event.job.coin} produces ${work.dialect} work`);
        return;
      }
      lastJob = {
        jobId: event.job.id,
        prevHash: work.prevHash,
        merklePrefix: work.merklePrefix,
        version: work.version,
        nbits: work.nbits,
        ntime: work.ntime,
        clean: event.clean,
      };
      dialect.sendNotify(lastJob);
    });
  }
}
