import { accessSync, constants as fsConstants } from 'node:fs';
import { hostname } from 'node:os';
import { Container } from 'inversify';
import { ES1_MAX_EXTRANONCE_BYTES, ETH_DIALECT_SCHEMES } from '@lode/dialect-ethstratum';
import { formatHashrate } from '@lode/mining';
import { discoverPlugins, loadPlugins, selectCoin } from '@lode/plugin-api';
import { BanManager, PoolEngine, poolEngineModule, SESSION_STORE, SHARE_STORE } from '@lode/pool-engine';
import { LodeError, type LodeLogger, type MalformedKind } from '@lode/stratum-core';
import { validateCoinSection } from '../config/load-config';
import type { PoolConfig, ProtectionConfig } from '../config/pool-config';
import type { PortProtectionOptions } from '../ports/port-protection';
import { BitcoinPort, type ExtranonceMoveReport } from '../ports/bitcoin-port';
import { EthStratumPort } from '../ports/ethstratum-port';
import { WarthogPort } from '../ports/warthog-port';
import type { StratumPort } from '../ports/stratum-port';
import { describePort } from '../api/port-info';
import { readApiSettings } from '../api/read-api-settings';
import { startReadApi, type RunningReadApi } from '../api/start-read-api';
import { PoolMetrics } from '../metrics/pool-metrics';
import { startMetricsServer, type RunningMetricsServer } from '@lode/observability';
import { startRedisState, type RedisState } from './redis-state';
import { POOL_CONFIG } from './tokens';

/** A running pool: its bound addresses and how to stop it. */
export interface RunningPool {
  /** each port's name and bound address */
  ports: { name: string; host: string; port: number; coin: string }[];
  engines: ReadonlyMap<string, PoolEngine>;
  /** the Prometheus scrape URL when `metrics` is configured */
  metricsUrl?: string;
  /** graceful stop: stop accepting, wait for in-flight shares (at most graceMs), close sessions, stop nodes */
  stop(reason?: string): Promise<void>;
  /** moves every session to a new extranonce1: set_extranonce to subscribed miners, client.reconnect to the others */
  moveExtranonces(): ExtranonceMoveReport;
}

/**
 * The composition root: config -> container -> plugins -> one engine per coin
 * -> stratum ports (DESIGN.md "Layout", apps/pool).
 *
 * @param config validated pool config
 * @param appDir the directory plugins resolve from (the pool app's package)
 * @throws PluginLoadError when a plugin is missing or broken; LodeError('config'|'node') otherwise
 */
export async function startPool(config: PoolConfig, logger: LodeLogger, appDir: string): Promise<RunningPool> {
  const container = new Container();
  container.bind(POOL_CONFIG).toConstantValue(config);
  container.load(poolEngineModule);

  const discovered = discoverPlugins({ from: appDir, plugins: config.plugins });
  const coins = loadPlugins(container, discovered);
  for (const p of discovered) {
    logger.info({ plugin: p.packageName, version: p.version, coins: p.manifest.coins }, 'coin plugin loaded');
  }

  const instanceId = config.instanceId ?? `${hostname()}-${process.pid}`;
  const metrics = config.metrics ? new PoolMetrics() : undefined;
  metrics?.observeNodeRpc(config.coins);
  let redis: RedisState | undefined;
  if (config.redis) {
    redis = await startRedisState(config, config.redis, instanceId, logger, metrics);
    logger.info({ instanceId, prefix: config.redis.prefix, spoolDir: config.redis.spoolDir, accounting: config.redis.accounting.enabled }, 'shared state on redis');
  }

  for (const portConfig of config.ports) {
    const plugin = selectCoin(coins, portConfig.coin);
    if (!plugin.dialects.includes(portConfig.dialect)) {
      throw new LodeError(
        'config',
        `port ${portConfig.name} speaks ${portConfig.dialect}, but coin '${portConfig.coin}' (${plugin.name}) speaks ${plugin.dialects.join(', ')}: set the port's dialect to one of those`,
      );
    }
  }

  const shareStore = redis?.shareStore;

  const engines = new Map<string, PoolEngine>();
  for (const coinId of new Set(config.ports.map((p) => p.coin))) {
    const plugin = selectCoin(coins, coinId);
    const section = validateCoinSection(coinId, plugin.configSchema, config.coins[coinId] ?? {});
    const coinLog = logger.child({ coin: coinId });
    const createNode = () => plugin.createNode(section, coinLog);
    const engine = new PoolEngine({
      plugin,
      node: redis ? redis.wrapNode(coinId, createNode(), createNode) : createNode(),
      coinConfig: section,
      shareStore: shareStore ?? container.get(SHARE_STORE),
      sessionStore: redis?.sessionStore ?? container.get(SESSION_STORE),
      ...(redis ? { duplicateIndex: redis.duplicateIndex, extranonceLeases: redis.extranonceLeases } : {}),
      instanceId,
      logger: coinLog,
      ...(metrics ? { metrics: metrics.engineMetrics(coinId) } : {}),
      options: {
        extranonce1Size: config.engine.extranonce1Size,
        extranonce2Size: config.engine.extranonce2Size,
        refreshIntervalMs: config.engine.jobRefreshSeconds * 1000,
        historySize: config.engine.jobHistory,
        acceptStaleHeights: config.engine.acceptStaleHeights,
        ...(config.redis ? { extranoncePrefixBytes: config.redis.extranoncePrefixBytes } : {}),
      },
    });
    coinLog.info({ hasher: plugin.hasher.implementation }, 'waiting for the first template from the node');
    metrics?.addEngine(coinId, engine);
    await engine.start();
    engines.set(coinId, engine);
  }

  // One ban list for the whole pool: a ban on any port closes the address's sessions on every port.
  const { bans, protection } = createProtection(config.protection, logger);
  if (metrics !== undefined) {
    if (bans !== undefined) metrics.addBans(bans);
    protection.escalated = (action) => metrics.escalated(action);
  }
  const ports: StratumPort[] = [];
  const bound: RunningPool['ports'] = [];
  for (const portConfig of config.ports) {
    // TLS files are re-read by the port's StratumServer when they change; check them once here for a clear error.
    const tls = portConfig.tls !== undefined;
    if (portConfig.tls) for (const file of [portConfig.tls.certFile, portConfig.tls.keyFile]) checkTlsFile(file);
    const engine = engines.get(portConfig.coin) as PoolEngine;
    const plugin = selectCoin(coins, portConfig.coin);
    const mask = plugin.versionRollingMask?.(config.coins[portConfig.coin] ?? {}) ?? 0;
    const portLog = logger.child({ port: portConfig.name });
    const portProtection = metrics === undefined ? protection : { ...protection, malformed: (kind: MalformedKind) => metrics.malformed(portConfig.name, kind) };
    let port: StratumPort;
    if (portConfig.dialect === 'ethstratum') {
      port = new EthStratumPort(portConfig, engine, plugin.diff1Target, portLog, config.log.shares, { protection: portProtection });
    } else if (portConfig.dialect === 'warthog') {
      port = new WarthogPort(portConfig, engine, portLog, config.log.shares, { protection: portProtection });
    } else {
      port = new BitcoinPort(portConfig, engine, portLog, config.log.shares, mask, { protection: portProtection });
    }
    // Refused connections (PROXY header, limits, bans) are logged by the port's StratumServer on portLog, with the reason.
    metrics?.addPort(portConfig.name, port.refused$);
    const address = await port.listen();
    ports.push(port);
    bound.push({ name: portConfig.name, ...address, coin: portConfig.coin });
    const at = `+${tls ? 'tls' : 'tcp'}://${address.host}:${address.port}`;
    // An ethstratum port speaks every offered Ethereum dialect, each under ethminer's scheme (facts/ethash.md §1.5).
    const ethDialects = port instanceof EthStratumPort ? port.dialects : undefined;
    const urls = ethDialects?.map((d) => `${ETH_DIALECT_SCHEMES[d]}${at}`);
    if (ethDialects?.includes('es1') === true) {
      const extranonceBytes = plugin.extranonceSizes?.(config.coins[portConfig.coin] ?? {}).extranonce1Size;
      if (extranonceBytes !== undefined && extranonceBytes > ES1_MAX_EXTRANONCE_BYTES) {
        portLog.warn(
          { extranonceBytes },
          `EthereumStratum/1.0.0 allows an extranonce of at most ${ES1_MAX_EXTRANONCE_BYTES} bytes: this port will refuse ES1 miners; set coins.${portConfig.coin}.extranonceBytes to ${ES1_MAX_EXTRANONCE_BYTES} or less`,
        );
      }
    }
    logger.info(
      {
        port: portConfig.name,
        url: urls?.[0] ?? `stratum${at}`,
        ...(urls === undefined ? {} : { urls, dialects: ethDialects }),
        coin: portConfig.coin,
        dialect: portConfig.dialect,
        difficulty: portConfig.difficulty.initial,
        vardiff: portConfig.difficulty.vardiff !== undefined,
        ...(portConfig.dialect === 'bitcoin' ? { versionRollingMask: mask.toString(16).padStart(8, '0') } : {}),
        ...(portConfig.proxyProtocol === undefined ? {} : { proxyProtocol: portConfig.proxyProtocol }),
      },
      'pool listening',
    );
  }

  let api: RunningReadApi | undefined;
  if (config.api) {
    api = await startReadApi(
      {
        ...readApiSettings(config.api),
        accountant: redis?.accountant,
        engines,
        // live per-port figures for /api/ports and the dashboard; ports and bound were filled in config order above
        ports: () => ports.map((p, i) => describePort(config.ports[i], bound[i], p)),
      },
      logger.child({ component: 'api' }),
    );
    logger.info({ url: api.url, dashboard: `${api.url}/dashboard/` }, 'read API listening');
  }

  let metricsServer: RunningMetricsServer | undefined;
  if (config.metrics && metrics) {
    metricsServer = await startMetricsServer(config.metrics, metrics, logger.child({ component: 'metrics' }));
    logger.info({ url: metricsServer.url }, 'metrics endpoint listening');
  }

  const statsTimer =
    config.log.statsIntervalSeconds > 0
      ? setInterval(() => logStats(logger, engines, ports), config.log.statsIntervalSeconds * 1000).unref()
      : undefined;

  let stopping: Promise<void> | undefined;
  return {
    ports: bound,
    engines,
    ...(metricsServer ? { metricsUrl: metricsServer.url } : {}),
    moveExtranonces() {
      const total: ExtranonceMoveReport = { moved: 0, reconnected: 0 };
      for (const p of ports) {
        const r = p.moveExtranonces();
        total.moved += r.moved;
        total.reconnected += r.reconnected;
      }
      logger.info({ ...total }, 'sessions moved to new extranonce1 values');
      return total;
    },
    stop(reason = 'pool shutting down') {
      stopping ??= (async () => {
        if (statsTimer) clearInterval(statsTimer);
        logger.info({ reason }, 'stopping: no new connections');
        await Promise.all(ports.map((p) => p.stopAccepting()));
        const grace = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownGraceSeconds * 1000).unref());
        await Promise.race([Promise.all([...engines.values()].map((e) => e.stop())), grace]);
        for (const p of ports) p.closeAll(reason);
        for (const p of ports) p.dispose?.();
        bans?.dispose();
        await api?.close();
        await metricsServer?.close();
        metrics?.close();
        await redis?.stop();
        logger.info({}, 'pool stopped');
      })();
      return stopping;
    },
  };
}

/** @throws LodeError('config') when a TLS file cannot be read */
function checkTlsFile(file: string): void {
  try {
    accessSync(file, fsConstants.R_OK);
  } catch (cause) {
    throw new LodeError('config', `cannot read TLS file ${file}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * The pool's BanManager and the protection every port applies (issue 10
 * "Protection"), from the config's `protection` section; bans are logged at
 * warn with the address, rule, end and reason.
 */
function createProtection(config: ProtectionConfig, logger: LodeLogger): { bans: BanManager | undefined; protection: PortProtectionOptions } {
  if (!config.enabled) return { bans: undefined, protection: {} };
  const rule = <T extends { enabled: boolean }>(r: T): Omit<T, 'enabled'> | false => {
    if (!r.enabled) return false;
    const { enabled: _enabled, ...settings } = r;
    return settings;
  };
  const bans = new BanManager({
    allowList: config.allowList,
    maxTrackedAddresses: config.maxTrackedAddresses,
    invalidShares: rule(config.invalidShares),
    malformedMessages: rule(config.malformedMessages),
    authFailures: rule(config.authFailures),
    connectionRate: rule(config.connectionRate),
  });
  const log = logger.child({ component: 'bans' });
  bans.bans$.subscribe((ban) => log.warn({ address: ban.address, rule: ban.rule, until: new Date(ban.until).toISOString(), reason: ban.reason }, 'address banned'));
  return { bans, protection: { bans, escalation: rule(config.escalation) } };
}

function logStats(logger: LodeLogger, engines: ReadonlyMap<string, PoolEngine>, ports: readonly StratumPort[]): void {
  const connections = ports.reduce((n, p) => n + p.connectionCount, 0);
  const accepted = ports.reduce((n, p) => n + p.counters.sharesAccepted, 0);
  const rejected = ports.reduce((n, p) => n + p.counters.sharesRejected, 0);
  for (const [coin, engine] of engines) {
    const snapshot = engine.stats.snapshot();
    logger.info(
      { coin, connections, accepted, rejected, hashrate: formatHashrate(snapshot.pool.hashrate), height: engine.jobs.currentHeight },
      'pool stats',
    );
  }
}
