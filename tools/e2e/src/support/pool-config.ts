import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEVNET_PAYOUT_ADDRESS } from './paths';

/** Options of a test pool config. */
export interface TestPoolConfig {
  dir: string;
  name: string;
  rpcPort: number;
  /** two stratum ports: "main" (vardiff, for real miners) and "tiny" (difficulty 1e-6, for raw clients) */
  mainPort?: number;
  tinyPort?: number;
  redis?: { url: string; prefix: string; leaseSeconds?: number };
}

/** Writes a pool config for the devnet and returns its path. */
export function writePoolConfig(o: TestPoolConfig): string {
  const config = {
    plugins: ['@lode/coin-bitcoin'],
    log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
    coins: {
      btc: {
        node: { url: `http://127.0.0.1:${o.rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
        payoutAddress: DEVNET_PAYOUT_ADDRESS,
        network: 'regtest',
        coinbaseTag: '/Lode e2e/',
      },
    },
    ports: [
      {
        name: 'main',
        host: '127.0.0.1',
        port: o.mainPort ?? 0,
        coin: 'btc',
        difficulty: { initial: 0.001, vardiff: { targetShareSeconds: 1, retargetSeconds: 10, variancePercent: 30, min: 0.00001, max: 1e6 } },
      },
      { name: 'tiny', host: '127.0.0.1', port: o.tinyPort ?? 0, coin: 'btc', difficulty: { initial: 0.000001 } },
    ],
    shutdownGraceSeconds: 2,
    ...(o.redis
      ? {
          instanceId: o.name,
          redis: { url: o.redis.url, prefix: o.redis.prefix, spoolDir: join(o.dir, `spool-${o.name}`), leaseSeconds: o.redis.leaseSeconds ?? 3 },
        }
      : {}),
  };
  const file = join(o.dir, `pool-${o.name}.json`);
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** The stratum ports a pool printed in its "pool listening" JSON lines. */
export function listeningPorts(lines: readonly string[]): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const line of lines.filter((l) => l.includes('pool listening'))) {
    const o = JSON.parse(line) as { port: string; url: string };
    ports[o.port] = Number(o.url.split(':').pop());
  }
  return ports;
}
