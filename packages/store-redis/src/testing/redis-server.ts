import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** A real redis-server process for tests (Debian's redis-server; .ci/run installs it). No mocks of Redis. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** a fresh client (closed by stop()) */
  client(): Redis;
  /** stops the server for fault tests: SIGKILL, or SIGTERM (a clean shutdown) when persistent */
  kill(): Promise<void>;
  /** starts it again on the same port (empty unless persistent) */
  restart(): Promise<void>;
  /** stops the server and closes every client made by client() */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server on 127.0.0.1:${port} did not answer within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/**
 * Starts `redis-server` on a free loopback port. Used by this package's tests
 * and by the end-to-end tests (`@lode/store-redis/testing`).
 *
 * @param persistent keep data across kill()/restart(): append-only file with
 *   fsync on every write, and kill() is a clean SIGTERM shutdown (an operator
 *   stopping Redis); otherwise persistence is off and kill() is SIGKILL
 * @throws when redis-server is not installed (`apt-get install redis-server`)
 */
export async function startTestRedis(persistent = false): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lode-redis-'));
  const clients: Redis[] = [];
  let proc: ChildProcess | undefined;
  const launch = async () => {
    const persistence = persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence, '--dir', dir], {
      stdio: 'ignore',
    });
    proc.once('error', (e) => {
      throw new Error(`cannot start redis-server (install it: apt-get install redis-server): ${e.message}`);
    });
    await waitForPing(port);
  };
  const kill = async () => {
    const p = proc;
    proc = undefined;
    if (p === undefined || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once('exit', () => resolve());
      p.kill(persistent ? 'SIGTERM' : 'SIGKILL');
    });
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    client() {
      const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
      clients.push(c);
      return c;
    },
    kill,
    restart: launch,
    async stop() {
      for (const c of clients.splice(0)) c.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
