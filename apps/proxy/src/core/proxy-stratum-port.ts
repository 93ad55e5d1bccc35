import { WorkerStats } from '@lode/pool-engine';
import { StratumServer } from '@lode/stratum-core';
import type { LodeLogger, StratumConnection } from '@lode/stratum-core';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { MinerSnapshot, ProxyPort, ProxyPortContext, ProxyPortCounters } from './proxy-port';
import type { Router } from './router';

/** Connections whose share statistics are kept at once (least recently active forgotten first). */
const MAX_TRACKED_CONNECTIONS = 100000;

/**
 * What a dialect's connection gets from its port: the port config, the
 * router that picks its subscription, the port's logger, counters and
 * per-connection statistics (keyed by connection id), the clock, and the
 * coin's difficulty-1 target.
 */
export interface ProxyConnectionContext {
  config: ProxyPortConfig;
  router: Router;
  logger: LodeLogger;
  logShares: boolean;
  /** the port's counters (the connection adds to them) */
  counters: ProxyPortCounters;
  /** per-connection share statistics, keyed by connection id */
  stats: WorkerStats;
  /** clock, ms since epoch */
  now: () => number;
  /** the coin's difficulty-1 target */
  diff1Target: bigint;
}

/** What a port needs of one of its dialect's connections. */
export interface ProxyConnection {
  /** connection id (the statistics key) */
  readonly id: string;
  /** the connection as the stats API shows it, with its hashrate (H/s) */
  snapshot(hashrate: number): MinerSnapshot;
}

/**
 * One listening downstream port of the proxy, whatever its dialect: a
 * StratumServer whose every connection becomes the dialect's connection
 * object (RpcPeer + the dialect's server session + a MinerSession from the
 * subscription the router picks), with the port's counters and
 * per-connection statistics for the stats API.
 */
export class ProxyStratumPort<C extends ProxyConnection> implements ProxyPort {
  readonly name: string;
  readonly counters: ProxyPortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };
  private readonly server: StratumServer;
  private readonly live = new Set<C>();
  private readonly stats: WorkerStats;

  /**
   * @param context the port's config, router, logger and coin plugin
   * @param createConnection makes the dialect's connection object for a new socket
   * @param options.idleTimeoutMs the socket's idle timeout (default the port's idleTimeoutSeconds)
   */
  constructor(
    private readonly context: ProxyPortContext,
    private readonly createConnection: (conn: StratumConnection, deps: ProxyConnectionContext) => C,
    options: { idleTimeoutMs?: number } = {},
  ) {
    const { config, logger, tls, plugin } = context;
    this.name = config.name;
    this.stats = new WorkerStats({ diff1Target: plugin.diff1Target, maxWorkers: MAX_TRACKED_CONNECTIONS });
    this.server = new StratumServer(
      {
        host: config.host,
        port: config.port,
        ...(tls === undefined ? {} : { tls }),
        maxLineBytes: config.maxLineBytes,
        idleTimeoutMs: options.idleTimeoutMs ?? config.idleTimeoutSeconds * 1000,
      },
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

  miners(): MinerSnapshot[] {
    const hashrates = new Map(this.stats.snapshot().workers.map((w) => [w.worker, w.hashrate]));
    return [...this.live].map((c) => c.snapshot(hashrates.get(c.id) ?? 0));
  }

  private accept(conn: StratumConnection): void {
    this.counters.connectionsTotal++;
    const connection = this.createConnection(conn, {
      config: this.context.config,
      router: this.context.router,
      logger: this.context.logger,
      logShares: this.context.logShares,
      counters: this.counters,
      stats: this.stats,
      now: Date.now,
      diff1Target: this.context.plugin.diff1Target,
    });
    this.live.add(connection);
    conn.closed$.subscribe(() => this.live.delete(connection));
  }
}
