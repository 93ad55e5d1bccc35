import { BitcoinServerSession, type BitcoinServerHandler } from '@lode/dialect-bitcoin';
import type { PoolEngine } from '@lode/pool-engine';
import { classicCodec, RpcPeer, StratumServer, type LodeLogger, type StratumConnection } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import { toNotifyParams } from './to-notify-params';

/** Counters of one port, for the stats line. */
export interface PortCounters {
  connectionsTotal: number;
  sharesAccepted: number;
  sharesRejected: number;
}

/**
 * One listening Stratum v1 port: each connection becomes an RpcPeer, a
 * dialect-bitcoin server session and an engine MinerSession, glued here
 * (the engine knows no dialect; the dialect knows no engine).
 */
export class BitcoinPort {
  private readonly server: StratumServer;
  readonly counters: PortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };

  constructor(
    readonly config: PortConfig,
    private readonly engine: PoolEngine,
    private readonly logger: LodeLogger,
    private readonly logShares: boolean,
    tls?: { cert: Buffer; key: Buffer },
  ) {
    this.server = new StratumServer(
      {
        host: config.host,
        port: config.port,
        tls,
        maxLineBytes: config.maxLineBytes,
        idleTimeoutMs: config.idleTimeoutSeconds * 1000,
      },
      logger,
    );
    this.server.connections$.subscribe((conn) => this.accept(conn));
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

  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    const log = this.logger.child({ conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` });
    const peer = new RpcPeer(conn, classicCodec, { logger: log });
    const { difficulty } = this.config;
    const session = this.engine.createSession({
      remoteAddress: conn.remoteAddress ?? 'unknown',
      port: this.config.port,
      initialDifficulty: difficulty.initial,
      vardiff: difficulty.vardiff && {
        targetShareSeconds: difficulty.vardiff.targetShareSeconds,
        retargetSeconds: difficulty.vardiff.retargetSeconds,
        variancePercent: difficulty.vardiff.variancePercent,
        minDifficulty: difficulty.vardiff.min,
        maxDifficulty: difficulty.vardiff.max,
      },
    });

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
        return verdict;
      },
      suggestDifficulty: (d) => session.suggestDifficulty(d),
      closed: (info) => {
        events.unsubscribe();
        session.close();
        log.info({ reason: info.reason, byPeer: info.byPeer }, 'miner disconnected');
      },
    };
    const dialect = new BitcoinServerSession(peer, handler, { logger: log });
    const events = session.events$.subscribe((event) => {
      if (event.type === 'difficulty') dialect.sendDifficulty(event.difficulty);
      else dialect.sendNotify(toNotifyParams(event.job, event.clean));
    });
  }
}

function round(n: number): number {
  return Number(n.toPrecision(6));
}
