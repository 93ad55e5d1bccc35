import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startBenchChild, type BenchChild } from './bench-child';

/** A regtest P2WPKH payout address (tools/e2e/src/support/paths.ts DEVNET_PAYOUT_ADDRESS). */
export const BENCH_PAYOUT_ADDRESS = 'bcrt1qxessftmcyqpht9j9p6stxns0w3p9qlp9p4r05l';
/** RPC credentials of the benchmarks' devnet. */
export const DEVNET_AUTH = { user: 'lode', password: 'lode' };

/** The repository root holding the built apps (tools/bench/dist/support -> repo). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

/**
 * The child processes of one benchmark run and their scratch directory:
 * everything it started is stopped by `stop()`, and killed if this process
 * exits first.
 */
export class ChildGroup {
  readonly dir: string;
  private readonly children: BenchChild[] = [];
  private readonly killAll = (): void => this.children.forEach((c) => c.kill());

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    process.once('exit', this.killAll);
  }

  add<T extends BenchChild>(child: T): T {
    this.children.push(child);
    return child;
  }

  /** Stops one child now (it stays in the group; stopping twice is harmless). */
  async stopOne(child: BenchChild): Promise<void> {
    await child.stop();
  }

  /** Stops every child, the last started first, and removes the scratch directory. */
  async stop(): Promise<void> {
    for (const child of [...this.children].reverse()) await child.stop();
    process.off('exit', this.killAll);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A devnet child process and its RPC URL. */
export interface DevnetChild {
  child: BenchChild;
  /** http://127.0.0.1:<port> */
  rpcUrl: string;
}

/**
 * Starts the Bitcoin devnet (tools/devnet/dist/main.js) on loopback with a
 * constant compact target and no mempool refresh (templates change only with
 * blocks).
 *
 * @param nbits compact target of every block, 8 hex digits ("1d00ffff": about 2^32 hashes a block, so none is found by accident)
 */
export async function startDevnetChild(group: ChildGroup, nbits: string, timeoutMs = 60_000): Promise<DevnetChild> {
  const child = group.add(
    startBenchChild({
      name: 'devnet',
      script: join(REPO_ROOT, 'tools/devnet/dist/main.js'),
      args: ['--host', '127.0.0.1', '--port', '0', '--rpcuser', DEVNET_AUTH.user, '--rpcpassword', DEVNET_AUTH.password, '--nbits', nbits, '--mempool-refresh-seconds', '0'],
      dir: group.dir,
    }),
  );
  const listening = await child.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, timeoutMs);
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
  return { child, rpcUrl: `http://127.0.0.1:${port}` };
}

/** Options of startPoolChild. */
export interface PoolChildOptions {
  /** name of the child and its log file (default "pool") */
  name?: string;
  /** the devnet's RPC URL */
  rpcUrl: string;
  /** fixed share difficulty of the one port (a difficulty, not a target) */
  difficulty: number;
  /** pin the pool to this CPU (taskset) */
  cpu?: number;
  /** preload the memory probe (BenchChild.memory) */
  probe?: boolean;
  /** the Redis share log and the other engine ports on Redis (pool config `redis`) */
  redis?: { url: string; prefix: string };
  /** ms the pool may take to listen (default 60000) */
  timeoutMs?: number;
  /** write a V8 CPU profile of the pool to this directory when it exits (node --cpu-prof) */
  cpuProfileDir?: string;
}

/** A Lode pool child process. */
export interface PoolChild {
  child: BenchChild;
  host: string;
  port: number;
  /** http://127.0.0.1:<port>/metrics */
  metricsUrl: string;
}

/** The port of a JSON log line's `url` ("stratum+tcp://127.0.0.1:3333" -> 3333). */
export function portOfLogLine(line: string): number {
  const url = (JSON.parse(line) as { url?: string }).url ?? '';
  const port = Number(/:(\d+)(\/[^:]*)?$/.exec(url)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in the log line ${line}`);
  return port;
}

/**
 * Starts the Lode pool (apps/pool/dist/main.js) as a child process: one
 * Bitcoin stratum port on 127.0.0.1 at a fixed share difficulty, the
 * Prometheus endpoint on, no idle timeout, no job refresh during a run
 * (every job comes from a new block), share verdicts logged at debug (no
 * line per share), protection at its defaults (loopback is on the allow
 * list). With `redis`, the engine's ports (share log, duplicates, sessions,
 * job bus) live in Redis under the given key prefix, with the pool's
 * default accounting.
 *
 * @throws Error when the pool is not built or does not listen in time
 */
export async function startPoolChild(group: ChildGroup, options: PoolChildOptions): Promise<PoolChild> {
  const name = options.name ?? 'pool';
  const timeout = options.timeoutMs ?? 60_000;
  const config = join(group.dir, `${name}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      plugins: ['@lode/coin-bitcoin'],
      // shares: false puts share verdicts at debug: no log line per share
      log: { level: 'info', format: 'json', shares: false, statsIntervalSeconds: 0 },
      coins: {
        btc: {
          node: { url: options.rpcUrl, user: DEVNET_AUTH.user, password: DEVNET_AUTH.password, pollIntervalMs: 500 },
          payoutAddress: BENCH_PAYOUT_ADDRESS,
          network: 'regtest',
          coinbaseTag: '/Lode bench/',
        },
      },
      engine: { jobRefreshSeconds: 3600 },
      ports: [{ name: 'bench', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: options.difficulty }, idleTimeoutSeconds: 0 }],
      metrics: { host: '127.0.0.1', port: 0 },
      ...(options.redis !== undefined ? { redis: { url: options.redis.url, prefix: options.redis.prefix, spoolDir: join(group.dir, `${name}-spool`) } } : {}),
      shutdownGraceSeconds: 1,
    }),
  );
  const child = group.add(
    startBenchChild({
      name,
      script: join(REPO_ROOT, 'apps/pool/dist/main.js'),
      args: ['--config', config, '--json'],
      dir: group.dir,
      ...(options.cpu !== undefined ? { cpu: options.cpu } : {}),
      probe: options.probe ?? false,
      ...(options.cpuProfileDir !== undefined ? { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] } : {}),
    }),
  );
  const port = portOfLogLine(await child.waitFor(/pool listening/, timeout));
  const metricsPort = portOfLogLine(await child.waitFor(/metrics endpoint listening/, timeout));
  return { child, host: '127.0.0.1', port, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
}
