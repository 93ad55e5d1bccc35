import { WarthogServerSession, type WarthogServerHandler } from '@lode/dialect-warthog';
import type { MinerSession, PoolEngine } from '@lode/pool-engine';
import { classicCodec, LodeError, RpcPeer, StratumServer, type LodeLogger, type StratumConnection } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import type { ExtranonceMoveReport, PortCounters } from './bitcoin-port';
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
 */
export class WarthogPort implements StratumPort {
  private readonly server: StratumServer;
  private readonly live = new Set<{ session: MinerSession; dialect: WarthogServerSession }>();
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  /** @throws LodeError('config') when the port's dialect is not warthog */
  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    tls?: { cert: Buffer; key: Buffer },
  ) {
    if (config.dialect !== 'warthog') throw new LodeError('config', `port ${config.name} speaks ${config.dialect}, not warthog`);
    this.server = new StratumServer(
      { host: config.host, port: config.port, tls, maxLineBytes: config.maxLineBytes, idleTimeoutMs: config.idleTimeoutSeconds * 1000 },
      logger,
    );
    this.server.connections$.subscribe((conn) => this.accept(conn));
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
    const log = this.logger.child({ conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    const session = this.engine.createSession(sessionOptionsFor(this.config, conn.remoteAddress));
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
        return verdict;
      },
      suggestDifficulty: (d) => session.suggestDifficulty(d),
      closed: (info) => {
        this.live.delete(entry);
        events.unsubscribe();
        void session.close();
        log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
      },
    };
    const dialect = new WarthogServerSession(peer, handler, { logger: log });
    const entry = { session, dialect };
    this.live.add(entry);
    const events = session.events$.subscribe((event) => {
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
      dialect.sendNotify({
        jobId: event.job.id,
        prevHash: work.prevHash,
        merklePrefix: work.merklePrefix,
        version: work.version,
        nbits: work.nbits,
        ntime: work.ntime,
        clean: event.clean,
      });
    });
  }
}
