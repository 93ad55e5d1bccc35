import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** A Redis for one benchmark run: a redis-server of its own, or one given by URL. */
export interface BenchRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** a key prefix unique to this run (pool config `redis.prefix`: [A-Za-z0-9._-]{1,32}) */
  prefix: string;
  /** "redis-server started on 127.0.0.1:<port>" or "redis at <url>" */
  description: string;
  /** deletes this run's keys; stops the server when this run started it */
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

async function ping(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`no Redis answered at ${url} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK), so a run leaves nothing behind. */
async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, disconnectTimeout: 50 });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * The Redis of a benchmark run. With `url`, that server (its keys under a
 * prefix unique to the run, deleted at the end); without, a redis-server
 * started here on a free loopback port, no persistence, in a scratch
 * directory, killed at the end.
 *
 * @throws Error when the given Redis does not answer, or redis-server cannot start
 */
export async function startBenchRedis(url?: string, binary = 'redis-server'): Promise<BenchRedis> {
  const prefix = `lode-bench-${process.pid}-${Date.now().toString(36)}`.slice(0, 32);
  if (url !== undefined) {
    await ping(url, 5000);
    return { url, prefix, description: `redis at ${url}, key prefix ${prefix}`, stop: () => deletePrefix(url, prefix) };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lode-bench-redis-'));
  const proc: ChildProcess = spawn(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const kill = (): void => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  };
  process.once('exit', kill);
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      });
    }
    process.off('exit', kill);
    rmSync(dir, { recursive: true, force: true });
  };
  const spawnError = new Promise<never>((_, reject) => proc.once('error', (e) => reject(new Error(`cannot start ${binary}: ${e.message}`))));
  const served = `redis://127.0.0.1:${port}`;
  try {
    await Promise.race([ping(served, 10_000), spawnError]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: served, prefix, description: `redis-server started on 127.0.0.1:${port} (no persistence), key prefix ${prefix}`, stop };
}
