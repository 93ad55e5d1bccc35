import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryShareStore, type ShareRecord, type ShareStore } from '@lode/pool-engine';
import { RedisKeys, RedisShareStore } from '@lode/store-redis';
import Redis from 'ioredis';
import { now } from './hash-rate';

/** Options of runRedisShareLogBench. */
export interface RedisShareLogBenchOptions {
  /** records per row (default 50_000) */
  records?: number;
  /** records in flight at once on the concurrent rows (default 1000) */
  inFlight?: number;
  /** records of the one-at-a-time row (default records / 10) */
  sequentialRecords?: number;
  /** the redis-server binary (default "redis-server" on the PATH) */
  redisServer?: string;
}

/** One measured row. */
export interface ShareLogRate {
  /** what ran, e.g. "RedisShareStore, auto-pipelined, 1000 in flight" */
  name: string;
  /** records stored */
  records: number;
  /** wall time, seconds */
  seconds: number;
  /** records per second */
  rate: number;
}

/** The rows of one run: the in-memory baseline first, then the Redis rows. */
export interface RedisShareLogReport {
  baseline: ShareLogRate;
  redis: ShareLogRate[];
}

/** A redis-server of our own: loopback, a free port, no persistence, a scratch directory. */
interface ScratchRedis {
  port: number;
  dir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startRedis(binary: string): Promise<ScratchRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lode-bench-redis-'));
  const proc: ChildProcess = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`cannot start ${binary}: ${e.message}`))));
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const ping = async (): Promise<void> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        if (Date.now() > deadline) throw new Error(`${binary} on 127.0.0.1:${port} did not answer within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
  };
  try {
    await Promise.race([ping(), spawnError]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, dir, stop };
}

/** Share records with ids unique to the row, so the idempotent script stores every one. */
function makeRecords(row: string, count: number): ShareRecord[] {
  const t0 = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    id: `bench-${row}:${i}`,
    instance: `bench-${row}`,
    coin: 'btc',
    worker: `bc1qbench.rig${i % 64}`,
    jobId: (i % 4096).toString(16),
    height: 840000 + Math.floor(i / 10000),
    difficulty: i % 50 === 0 ? 0 : 65536,
    shareDifficulty: 65536 + (i % 1000),
    networkDifficulty: 86_388_558_925_171.02,
    verdict: i % 50 === 0 ? 'low-difficulty' : 'accepted',
    remoteAddress: `10.0.${(i >> 8) & 255}.${i & 255}:4${i % 1000}`,
    time: t0 + i,
  }));
}

/** Records everything with `inFlight` records outstanding at any time; returns the wall time in seconds. */
async function drive(store: ShareStore, records: ShareRecord[], inFlight: number): Promise<number> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < records.length) await store.record(records[next++]);
  };
  const t0 = now();
  await Promise.all(Array.from({ length: Math.min(inFlight, records.length) }, lane));
  return now() - t0;
}

function rate(name: string, records: number, seconds: number): ShareLogRate {
  return { name, records, seconds, rate: seconds > 0 ? records / seconds : 0 };
}

/**
 * Measures share records per second, in the same run:
 *
 * - baseline: the engine's MemoryShareStore (a ring in memory);
 * - RedisShareStore on a redis-server this run starts (loopback, no
 *   persistence): with auto-pipelining and `inFlight` records in flight,
 *   without auto-pipelining at the same concurrency, and one record at a
 *   time (the round-trip bound).
 *
 * Each Redis record is one idempotent Lua script call (dedup-set check,
 * XADD MAXLEN ~, SADD, EXPIRE). A benchmark, never an assertion.
 *
 * @throws Error when redis-server cannot be started
 */
export async function runRedisShareLogBench(options: RedisShareLogBenchOptions = {}): Promise<RedisShareLogReport> {
  const n = options.records ?? 50_000;
  const inFlight = options.inFlight ?? 1000;
  const sequential = options.sequentialRecords ?? Math.max(1, Math.floor(n / 10));
  const server = await startRedis(options.redisServer ?? 'redis-server');
  const clients: Redis[] = [];
  const stores: RedisShareStore[] = [];
  const redisStore = async (row: string, autoPipelining: boolean): Promise<RedisShareStore> => {
    const redis = new Redis({ host: '127.0.0.1', port: server.port, enableAutoPipelining: autoPipelining, disconnectTimeout: 50 });
    redis.on('error', () => undefined);
    clients.push(redis);
    const store = new RedisShareStore({ redis, keys: new RedisKeys({ prefix: 'bench' }), spoolFile: join(server.dir, `${row}.spool`) });
    stores.push(store);
    await store.start();
    return store;
  };
  try {
    const memory = new MemoryShareStore({ capacity: n });
    // warm-up: first calls pay for JIT and script loading, not for storing
    await drive(memory, makeRecords('warm-memory', 2000), inFlight);
    const baselineSeconds = await drive(memory, makeRecords('memory', n), inFlight);

    const piped = await redisStore('piped', true);
    await drive(piped, makeRecords('warm-piped', 2000), inFlight);
    const pipedSeconds = await drive(piped, makeRecords('piped', n), inFlight);

    const plain = await redisStore('plain', false);
    await drive(plain, makeRecords('warm-plain', 2000), inFlight);
    const plainSeconds = await drive(plain, makeRecords('plain', n), inFlight);

    const single = await redisStore('single', true);
    const singleSeconds = await drive(single, makeRecords('single', sequential), 1);

    const spooled = stores.reduce((sum, s) => sum + s.counters.spooled, 0);
    if (spooled > 0) throw new Error(`${spooled} records went to the spool: Redis was not answering, the figures would be wrong`);
    return {
      baseline: rate(`MemoryShareStore (baseline), ${inFlight} in flight`, n, baselineSeconds),
      redis: [
        rate(`RedisShareStore, auto-pipelined, ${inFlight} in flight`, n, pipedSeconds),
        rate(`RedisShareStore, no auto-pipelining, ${inFlight} in flight`, n, plainSeconds),
        rate('RedisShareStore, one at a time', sequential, singleSeconds),
      ],
    };
  } finally {
    for (const store of stores) await store.stop();
    for (const client of clients) client.disconnect();
    await server.stop();
  }
}

/** The report as text lines: records, records per second, and the ratio to the baseline. */
export function formatRedisShareLogReport(report: RedisShareLogReport): string[] {
  const rows = [report.baseline, ...report.redis];
  const width = Math.max(...rows.map((row) => row.name.length));
  return [
    `${'share records stored'.padEnd(width)}  ${'records'.padStart(8)}  ${'records/s'.padStart(12)}  vs baseline`,
    ...rows.map(
      (row) =>
        `${row.name.padEnd(width)}  ${String(row.records).padStart(8)}  ${Math.round(row.rate).toLocaleString('en-US').padStart(12)}  ` +
        `x${(row.rate / report.baseline.rate).toPrecision(3)}`,
    ),
  ];
}

async function main(): Promise<void> {
  const records = Number(process.argv[2] ?? '50000');
  try {
    const report = await runRedisShareLogBench({ records: Number.isInteger(records) && records > 0 ? records : 50_000 });
    for (const line of formatRedisShareLogReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`redis-share-log benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  void main().then(() => process.exit(0));
}
