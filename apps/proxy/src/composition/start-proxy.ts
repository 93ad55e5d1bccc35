import { readFileSync } from 'node:fs';
import { Container } from 'inversify';
import { formatHashrate } from '@lode/mining';
import { discoverPlugins, loadPlugins, selectCoin } from '@lode/plugin-api';
import type { CoinPlugin } from '@lode/plugin-api';
import { LodeError, type LodeLogger } from '@lode/stratum-core';
import { startStatsApi, type RunningStatsApi } from '../api/start-stats-api';
import { ProxyMetrics } from '../metrics/proxy-metrics';
import { startMetricsServer, type RunningMetricsServer } from '@lode/observability';
import type { ProxyConfig } from '../config/proxy-config';
import { proxyDialect } from '../dialects';
import type { MinerSnapshot, ProxyPort } from '../core/proxy-port';
import { Router } from '../core/router';
import type { ProxyDialectName } from '../core/subdivision';
import { UpstreamGroup } from '../core/upstream-group';
import type { UpstreamSnapshot } from '../core/upstream-snapshot';

/** A running proxy: its bound addresses, its routing, and how to stop it. */
export interface RunningProxy {
  /** each port's name and bound address */
  ports: { name: string; host: string; port: number; coin: string; dialect: ProxyDialectName }[];
  /** one router per coin and dialect served, keyed "<coin>/<dialect>" */
  routers: ReadonlyMap<string, Router>;
  /** the stats API's base URL, when it runs */
  apiUrl?: string;
  /** the Prometheus scrape URL, when `metrics` is configured */
  metricsUrl?: string;
  /** every upstream as the stats API shows it */
  upstreams(): UpstreamSnapshot[];
  /** every miner connection as the stats API shows it */
  miners(): MinerSnapshot[];
  /** graceful stop: stop accepting, wait for in-flight forwards (at most shutdownGraceSeconds), close miners, close links */
  stop(reason?: string): Promise<void>;
}

/**
 * The proxy's composition root: config -> plugins (run-time discovery) ->
 * one {@link Router} per coin and dialect with an {@link UpstreamGroup} per
 * upstream -> downstream ports of each dialect -> stats API -> metrics
 * endpoint (ProxyMetrics, when `metrics` is configured).
 *
 * It waits up to connectTimeoutSeconds for an upstream of each router, then
 * listens anyway (miners get "no upstream is available" until one connects).
 *
 * @param config validated proxy config
 * @param appDir the directory plugins resolve from (the proxy app's package)
 * @throws PluginLoadError when a plugin is missing or broken; LodeError('config')
 *   for a coin that does not speak an upstream's or port's dialect, or a
 *   dialect this build does not speak; LodeError('connection') when a port
 *   or the API cannot listen
 */
export async function startProxy(config: ProxyConfig, logger: LodeLogger, appDir: string): Promise<RunningProxy> {
  const container = new Container();
  const discovered = discoverPlugins({ from: appDir, plugins: config.plugins });
  const coins = loadPlugins(container, discovered);
  for (const p of discovered) {
    logger.info({ plugin: p.packageName, version: p.version, coins: p.manifest.coins }, 'coin plugin loaded');
  }
  const speaking = (coinId: string, dialect: ProxyDialectName, what: string): CoinPlugin => {
    const plugin = selectCoin(coins, coinId);
    if (!plugin.dialects.includes(dialect)) {
      throw new LodeError('config', `${what} speaks ${dialect}, but coin '${coinId}' (${plugin.name}) speaks ${plugin.dialects.join(', ')}`);
    }
    return plugin;
  };

  const metrics = config.metrics ? new ProxyMetrics() : undefined;
  const routers = new Map<string, Router>();
  const groupsOf = new Map<string, UpstreamGroup[]>();
  const coinOfGroup = new Map<UpstreamGroup, string>();
  for (const key of new Set(config.ports.map((p) => `${p.coin}/${p.dialect}`))) {
    const [coin, dialectName] = key.split('/') as [string, ProxyDialectName];
    const dialect = proxyDialect(dialectName);
    const groups = config.upstreams
      .filter((u) => u.coin === coin && u.dialect === dialectName)
      .map((u) => {
        const group = new UpstreamGroup({
          upstream: {
            name: u.name,
            url: u.url,
            user: u.user,
            password: u.password,
            priority: u.priority,
            weight: u.weight,
            dialect: u.dialect,
            ...(u.tls === undefined ? {} : { tls: upstreamTls(u.tls) }),
          },
          connector: dialect.connect,
          plugin: speaking(coin, dialectName, `upstream ${u.name}`),
          credentials: config.credentials,
          userAgent: config.userAgent,
          connectTimeoutMs: config.connectTimeoutSeconds * 1000,
          emptyGraceMs: config.emptySubscriptionGraceSeconds * 1000,
          backoffMinMs: Math.min(1000, config.healthCheckSeconds * 1000),
          backoffMaxMs: Math.max(1000, config.healthCheckSeconds * 1000 * 12),
          logger: logger.child({ coin }),
          ...(metrics ? { metrics: metrics.upstreamMetrics(coin, u.name) } : {}),
        });
        metrics?.watchUpstream(u.name, group.events$);
        coinOfGroup.set(group, coin);
        return group;
      });
    groupsOf.set(key, groups);
    routers.set(key, new Router(groups, { failbackSeconds: config.failbackSeconds, healthCheckSeconds: config.healthCheckSeconds, logger: logger.child({ coin, dialect: dialectName }) }));
  }
  for (const u of config.upstreams) {
    if (!routers.has(`${u.coin}/${u.dialect}`)) logger.warn({ upstream: u.name, coin: u.coin, dialect: u.dialect }, 'upstream unused: no port mines its coin over its dialect');
  }

  const ports: ProxyPort[] = [];
  const bound: RunningProxy['ports'] = [];
  let api: RunningStatsApi | undefined;
  let metricsServer: RunningMetricsServer | undefined;
  const allGroups = [...groupsOf.values()].flat();
  const upstreams = (): UpstreamSnapshot[] => allGroups.map((g) => g.snapshot(coinOfGroup.get(g) ?? ''));
  const miners = (): MinerSnapshot[] => ports.flatMap((p) => p.miners());
  try {
    for (const router of routers.values()) router.start();
    const healthy = await Promise.all([...routers.values()].map((r) => r.whenHealthy(config.connectTimeoutSeconds * 1000)));
    for (const [i, key] of [...routers.keys()].entries()) {
      if (!healthy[i]) logger.warn({ router: key }, 'no upstream connected yet: miners wait until one does');
    }
    for (const portConfig of config.ports) {
      const key = `${portConfig.coin}/${portConfig.dialect}`;
      const tls = portConfig.tls && { cert: readTlsFile(portConfig.tls.certFile), key: readTlsFile(portConfig.tls.keyFile) };
      const port = proxyDialect(portConfig.dialect).createPort({
        config: portConfig,
        router: routers.get(key) as Router,
        plugin: speaking(portConfig.coin, portConfig.dialect, `port ${portConfig.name}`),
        logger: logger.child({ port: portConfig.name }),
        logShares: config.log.shares,
        credentials: config.credentials,
        ...(tls ? { tls } : {}),
      });
      const address = await port.listen();
      ports.push(port);
      bound.push({ name: portConfig.name, ...address, coin: portConfig.coin, dialect: portConfig.dialect });
      logger.info(
        {
          port: portConfig.name,
          url: `${portConfig.dialect === 'ethstratum' ? 'stratum3' : 'stratum'}+${tls ? 'tls' : 'tcp'}://${address.host}:${address.port}`,
          coin: portConfig.coin,
          dialect: portConfig.dialect,
          difficulty: portConfig.difficulty.initial,
          vardiff: portConfig.difficulty.vardiff !== undefined,
          upstreams: (groupsOf.get(key) ?? []).map((g) => g.name),
        },
        'proxy listening',
      );
    }
    if (config.api) {
      api = await startStatsApi({ host: config.api.host, port: config.api.port, sources: { upstreams, miners } }, logger);
      logger.info({ url: api.url }, 'stats API listening');
    }
    if (config.metrics && metrics) {
      metrics.addUpstreams(upstreams);
      metrics.addPorts(() =>
        ports.map((p, i) => ({ port: p.name, coin: bound[i]?.coin ?? '', dialect: bound[i]?.dialect ?? '', open: p.connectionCount, total: p.counters.connectionsTotal })),
      );
      metricsServer = await startMetricsServer(config.metrics, metrics, logger.child({ component: 'metrics' }));
      logger.info({ url: metricsServer.url }, 'metrics endpoint listening');
    }
  } catch (error) {
    for (const p of ports) {
      await p.stopAccepting();
      p.closeAll('proxy failed to start');
    }
    await api?.close();
    await Promise.all([...routers.values()].map((r) => r.stop('proxy failed to start')));
    throw error;
  }

  const statsTimer =
    config.log.statsIntervalSeconds > 0
      ? setInterval(() => logStats(logger, upstreams(), miners()), config.log.statsIntervalSeconds * 1000).unref()
      : undefined;

  let stopping: Promise<void> | undefined;
  return {
    ports: bound,
    routers,
    ...(api === undefined ? {} : { apiUrl: api.url }),
    ...(metricsServer === undefined ? {} : { metricsUrl: metricsServer.url }),
    upstreams,
    miners,
    stop(reason = 'proxy shutting down') {
      stopping ??= (async () => {
        if (statsTimer) clearInterval(statsTimer);
        logger.info({ reason }, 'stopping: no new connections');
        await Promise.all(ports.map((p) => p.stopAccepting()));
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceSeconds * 1000).unref());
        // Routers stop their engines (waiting for in-flight forwards), then close the links.
        await Promise.race([Promise.all([...routers.values()].map((r) => r.stop(reason))), grace]);
        for (const p of ports) p.closeAll(reason);
        for (const p of ports) p.dispose?.();
        await api?.close();
        await metricsServer?.close();
        logger.info({}, 'proxy stopped');
      })();
      return stopping;
    },
  };
}

function readTlsFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new LodeError('config', `cannot read TLS file ${file}: ${(cause as Error).message}`, { cause });
  }
}

function logStats(logger: LodeLogger, upstreams: UpstreamSnapshot[], miners: MinerSnapshot[]): void {
  const hashrate = miners.reduce((h, m) => h + m.hashrate, 0);
  logger.info(
    {
      miners: miners.length,
      hashrate: formatHashrate(hashrate),
      upstreams: upstreams.map((u) => `${u.name}:${u.state}:${u.subscriptions.filter((s) => s.alive).length}`).join(' '),
      forwarded: upstreams.reduce((n, u) => n + u.shares.forwarded, 0),
      acceptedUpstream: upstreams.reduce((n, u) => n + u.shares.accepted, 0),
      rejectedUpstream: upstreams.reduce((n, u) => n + u.shares.rejected, 0),
    },
    'proxy stats',
  );
}

/** The TLS settings of an upstream connection from its config (the CA file read once, at start). */
function upstreamTls(tls: { caFile?: string; insecure?: boolean }): { rejectUnauthorized?: boolean; ca?: Buffer } {
  return {
    ...(tls.insecure === true ? { rejectUnauthorized: false } : {}),
    ...(tls.caFile === undefined ? {} : { ca: readTlsFile(tls.caFile) }),
  };
}
