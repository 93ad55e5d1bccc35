import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryPoints } from './support/paths';
import { listeningPorts, writePoolConfig } from './support/pool-config';
import { freePort, startTestRedis, type TestRedis } from '@lode/store-redis/testing';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

const PREFIX = 'e2efault';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the share log loses nothing (Redis outage, pool SIGKILL)', () => {
  let dir: string;
  let redis: TestRedis;
  let devnet: LoggedProcess;
  let pool: LoggedProcess | undefined;
  const miners: LoggedProcess[] = [];
  let configFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-fault-'));
    redis = await startTestRedis(true);
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    // fixed ports, so that miners reconnect to the restarted pool
    configFile = writePoolConfig({ dir, name: 'solo', rpcPort, mainPort: await freePort(), tinyPort: await freePort(), redis: { url: redis.url, prefix: PREFIX } });
  });

  afterAll(async () => {
    await Promise.all([...miners, pool, devnet].filter((p): p is LoggedProcess => p !== undefined).map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startPool(): Promise<Record<string, number>> {
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    await pool.waitFor(/pool listening.*"tiny"|"tiny".*pool listening/, 60000);
    return listeningPorts(pool.lines);
  }

  it('stores exactly the shares the miners saw accepted, once each', async () => {
    const ports = await startPool();
    for (const n of [1, 2]) {
      miners.push(spawnLogged(`miner-${n}`, entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${ports['main']}`, '--user', `e2e.fault${n}`, '--threads', '1']));
    }
    await Promise.all(miners.map((m) => m.waitFor(/share accepted/, 60000)));
    await sleep(3000);

    // Redis goes away while the miners submit: records go to the spool
    await redis.kill();
    const acceptedDuringOutage = miners.reduce((n, m) => n + m.count(/share accepted/), 0);
    await sleep(5000);
    expect(miners.reduce((n, m) => n + m.count(/share accepted/), 0)).toBeGreaterThan(acceptedDuringOutage);
    await redis.restart();
    await sleep(4000);
    // the outage really went through the spool, and the spool went back into Redis
    expect(pool?.count(/share spool replayed into redis and emptied/)).toBeGreaterThan(0);
    const replayed = pool?.lines.filter((l) => l.includes('share spool replayed into redis')).map((l) => (JSON.parse(l) as { replayed: number }).replayed);
    expect(Math.max(...(replayed ?? [0]))).toBeGreaterThan(0);

    // the pool dies without warning, then comes back on the same ports (and replays its spool first)
    pool?.child.kill('SIGKILL');
    await sleep(1000);
    await startPool();
    await Promise.all(miners.map((m) => m.waitFor(/subscribed/, 30000)));
    await sleep(5000);

    // stop the miners and read their own final count
    let seenAccepted = 0;
    for (const m of miners) {
      await m.stop();
      const final = m.lines.filter((l) => /stopped .*accepted (\d+)/.test(l)).pop() as string;
      seenAccepted += Number(/accepted (\d+)/.exec(final)?.[1]);
    }
    await sleep(2000);

    const client = redis.client();
    const entries = (await client.xrange(`${PREFIX}:{btc}:shares`, '-', '+')) as [string, string[]][];
    const records = entries.map(([, fields]) => {
      const o: Record<string, string> = {};
      for (let i = 0; i < fields.length; i += 2) o[fields[i] as string] = fields[i + 1] as string;
      return o;
    });
    const accepted = records.filter((r) => r['verdict'] === 'accepted');
    expect(new Set(records.map((r) => r['id'])).size).toBe(records.length);
    expect(accepted.length).toBe(seenAccepted);
  });
});
