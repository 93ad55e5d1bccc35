import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { Observable } from 'rxjs';
import { Container } from 'inversify';
import { type CoinPlugin, discoverPlugins, loadPlugins, selectCoin } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import { EthMiner } from '../eth/eth-miner';
import { ethDialectOfUrl } from '../eth/eth-dialect-of-url';
import { WarthogMiner } from '../warthog/warthog-miner';
import { Miner } from '../miner';
import { MINER_VERSION } from '../miner-options';
import { MinerMetrics } from '../metrics/miner-metrics';
import { startMetricsServer, type RunningMetricsServer } from '@lode/observability';
import { createMinerLogger } from './create-logger';
import type { TextSink } from './human-log-stream';
import { buildMinerCommand, type MinerCliConfig, minerCliConfig } from './miner-cli';

/** Where the CLI reads and writes; tests pass their own. */
export interface MinerCliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** directory plugins are discovered from (its nearest package.json); default this app's */
  appDir?: string;
}

/**
 * Runs `lode-miner` with `argv` (process.argv form: node, script, options…)
 * until it stops: on SIGINT/SIGTERM, after `--exit-after-accepted` shares or
 * `--exit-after-seconds`, or on a fatal error.
 *
 * Coin plugins are discovered at run time from the app's package.json
 * (`--plugins auto`, DESIGN.md "Plugins and discovery"); the miner never
 * imports one.
 *
 * @returns the exit code: 0 stopped as asked (or --help), 1 fatal error,
 *   2 bad options (LodeError('config'), printed as `lode-miner: <message>`)
 *   or plugins that cannot be loaded
 */
export async function runMinerCli(
  argv: readonly string[],
  io: MinerCliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const command = buildMinerCommand()
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  let config: MinerCliConfig;
  try {
    command.parse(argv);
    config = minerCliConfig(command);
  } catch (e) {
    // Commander has already printed its own message (or the help).
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (LodeError.is(e)) {
      io.stderr.write(`lode-miner: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const log = createMinerLogger({ level: config.logLevel, json: config.json, sink: io.stdout });
  let miner: RunnableMiner;
  let metricsServer: RunningMetricsServer | undefined;
  try {
    const found = discoverPlugins({ from: io.appDir ?? __dirname, plugins: config.plugins });
    const coin: CoinPlugin = selectCoin(loadPlugins(new Container(), found), config.coin);
    const tls = { rejectUnauthorized: config.tls.rejectUnauthorized, ca: readCa(config.tls.caFile) };
    miner = coin.dialects.includes('warthog') ? new WarthogMiner({
      url: config.url,
      user: config.user,
      password: config.password,
      coin,
      threads: config.threads,
      statsIntervalMs: config.statsIntervalMs,
      logger: log,
      tls,
    }) : coin.dialects.includes('ethstratum') ? new EthMiner({
      url: config.url,
      dialect: ethDialectOfUrl(config.url),
      user: config.user,
      password: config.password,
      coin,
      threads: config.threads,
      fullDataset: config.fullDataset,
      hashrateReportSeconds: config.hashrateReportSeconds,
      statsIntervalMs: config.statsIntervalMs,
      logger: log,
      tls,
    }) : new Miner({
      url: config.url,
      user: config.user,
      password: config.password,
      coin,
      threads: config.threads,
      suggestDifficulty: config.suggestDifficulty,
      extranonceSubscribe: config.extranonceSubscribe,
      configure: config.configure,
      versionRollingMask: config.versionRollingMask,
      minimumDifficulty: config.minimumDifficulty,
      statsIntervalMs: config.statsIntervalMs,
      logger: log,
      tls,
    });
    if (config.metrics !== undefined) {
      const dialect = coin.dialects.includes('warthog') ? 'warthog' : coin.dialects.includes('ethstratum') ? ethDialectOfUrl(config.url) : 'bitcoin';
      const metrics = new MinerMetrics({
        coin: coin.id,
        dialect,
        userAgent: `lode-miner/${MINER_VERSION}`,
        threads: config.threads,
        implementation: coin.hasher.implementation,
      });
      // before start(): the first events count too; the subscription ends with events$
      metrics.watch(miner.events$);
      metricsServer = await startMetricsServer(config.metrics, metrics, log);
      log.info({ event: 'metrics', url: metricsServer.url }, `miner: metrics endpoint listening at ${metricsServer.url}`);
    }
  } catch (e) {
    if (!LodeError.is(e)) throw e;
    log.error({ err: e.message, kind: e.kind }, `miner: ${e.message}`);
    io.stderr.write(`lode-miner: ${e.message}\n`);
    return 2;
  }
  const code = await mineUntilDone(miner, config);
  await metricsServer?.close();
  return code;
}

/** What the CLI drives: the Stratum v1 Miner, the WarthogMiner or the EthMiner (any Ethereum dialect). */
interface RunnableMiner {
  readonly events$: Observable<{ type: string; accepted?: number; error?: Error }>;
  start(): void;
  stop(reason?: string): Promise<unknown>;
}

function mineUntilDone(miner: RunnableMiner, config: MinerCliConfig): Promise<number> {
  return new Promise<number>((resolve) => {
    let code = 0;
    let timer: NodeJS.Timeout | undefined;
    const finish = (reason: string, exitCode = 0): void => {
      code = Math.max(code, exitCode);
      void miner.stop(reason);
    };
    const onSigint = (): void => finish('SIGINT');
    const onSigterm = (): void => finish('SIGTERM');
    miner.events$.subscribe({
      next: (event) => {
        const accepted = event.accepted ?? 0;
        if (event.type === 'accepted' && config.exitAfterAccepted !== undefined && accepted >= config.exitAfterAccepted) {
          finish(`${accepted} shares accepted`);
        } else if (event.type === 'fatal') {
          finish(event.error?.message ?? 'fatal error', 1);
        }
      },
      complete: () => {
        process.off('SIGINT', onSigint);
        process.off('SIGTERM', onSigterm);
        if (timer !== undefined) clearTimeout(timer);
        resolve(code);
      },
    });
    process.once('SIGINT', onSigint);
    process.once('SIGTERM', onSigterm);
    const exitAfterMs = config.exitAfterMs;
    if (exitAfterMs !== undefined) {
      timer = setTimeout(() => finish(`${exitAfterMs / 1000} s elapsed`), exitAfterMs);
    }
    miner.start();
  });
}

function readCa(file: string | undefined): Buffer | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new LodeError('config', `--tls-ca ${file} cannot be read: ${(e as Error).message}`, { cause: e });
  }
}
