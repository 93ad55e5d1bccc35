import { WorkerStats } from '@lode/pool-engine';
import { StratumServer } from '@lode/stratum-core';
import type { LodeLogger, StratumConnection } from '@lode/stratum-core';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { MinerSnapshot, ProxyPort, ProxyPortContext, ProxyPortCounters } from '../core/proxy-port';
import { EthProxyConnection } from './eth-proxy-connection';

/** Connections whose share statistics are kept at once (least recently active forgotten first). */
const MAX_TRACKED_CONNECTIONS = 100000;
/** The hello reply's `timeout` (the dialect's default): the dialect drops a miner silent this long, seconds. */
const HELLO_TIMEOUT_SECONDS = 180;

/**
 * One listening EthereumStratum/2.0.0 port of the proxy
 * (specs/003_fafafa51dc5fa36a.txt): each connection is an
 * {@link EthProxyConnection} (RpcPeer with the EIP-1571 codec +
 * EthStratumServerSession + a MinerSession from the subscription the router
 * picks). The hello reply announces plain encoding, no resume and a 180 s
 * timeout; the socket's idle timeout is a backstop behind it.
 */
export class EthProxyPort implements ProxyPort {
  readonly name: string;
  readonly counters: ProxyPortCounters = { connectionsTotal: 0, sharesAccepted: 0, sharesRejected: 0 };
  private readonly server: StratumServer;
  private readonly live = new Set<EthProxyConnection>();
  private readonly stats: WorkerStats;
  private readonly logger: LodeLogger;
  private readonly config: ProxyPortConfig;

  constructor(private readonly context: ProxyPortContext) {
    const { config, logger, tls, plugin } = context;
    this.config = config;
    this.name = config.name;
    this.logger = logger;
    this.stats = new WorkerStats({ diff1Target: plugin.diff1Target, maxWorkers: MAX_TRACKED_CONNECTIONS });
    this.server = new StratumServer(
      {
        host: config.host,
        port: config.port,
        ...(tls === undefined ? {} : { tls }),
        maxLineBytes: config.maxLineBytes,
        // The dialect enforces the hello reply's timeout; this is the socket's backstop.
        idleTimeoutMs: Math.max(config.idleTimeoutSeconds, HELLO_TIMEOUT_SECONDS + 30) * 1000,
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
    const connection = new EthProxyConnection(conn, {
      config: this.config,
      router: this.context.router,
      diff1Target: this.context.plugin.diff1Target,
      logger: this.logger,
      logShares: this.context.logShares,
      counters: this.counters,
      stats: this.stats,
      now: Date.now,
    });
    this.live.add(connection);
    conn.closed$.subscribe(() => this.live.delete(connection));
  }
}
