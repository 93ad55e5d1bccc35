import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** A real redis-server process on loopback for end-to-end tests (persistence off). */
export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  /** a client (closed by stop()) that gives up quickly while the server is down */
  client(): Redis;
  /** stops the server: SIGKILL, or SIGTERM when persistent (the fault test's "Redis goes away") */
  kill(): Promise<void>;
  /** starts it again on the same port */
  restart(): Promise<void>;
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

/**
 * Starts redis-server (Debian's; .ci/run installs it) on a free port.
 *
 * @param persistent keep data across kill()/restart(): append-only file with
 *   fsync on every write, and kill() stops the server with SIGTERM (a clean
 *   shutdown), as an operator stopping Redis would
 */
export async function startRedis(persistent = false): Promise<RedisProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'lode-e2e-redis-'));
  const clients: Redis[] = [];
  let proc: ChildProcess | undefined;
  const launch = async () => {
    const persistence = persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    proc = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', ...persistence, '--dir', dir], { stdio: 'ignore' });
    const deadline = Date.now() + 10000;
    for (;;) {
      const probe = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, disconnectTimeout: 50 });
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        probe.disconnect();
      }
    }
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
