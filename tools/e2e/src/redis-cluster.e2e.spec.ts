import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineClient } from './support/line-client';
import { entryPoints } from './support/paths';
import { listeningPorts, writePoolConfig } from './support/pool-config';
import { startTestRedis, type TestRedis } from '@lode/store-redis/testing';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';
import { findShare, type NotifyWire } from './support/stratum-v1-share';

const PREFIX = 'e2e';

/** subscribe (+ optional session id) and authorize on a raw connection; returns what the pool said */
async function handshake(c: LineClient, worker: string, sessionId?: string) {
  c.sendJson({ id: 1, method: 'mining.subscribe', params: sessionId ? ['e2e-raw/1.0', sessionId] : ['e2e-raw/1.0'] });
  const sub = (await c.reply(1)).reply;
  const [subscriptions, extranonce1, extranonce2Size] = sub['result'] as [[string, string][], string, number];
  c.sendJson({ id: 2, method: 'mining.authorize', params: [worker, 'x'] });
  const auth = await c.reply(2);
  const seen = [...auth.notifications];
  while (!seen.some((n) => n['method'] === 'mining.notify')) seen.push(JSON.parse((await c.next(20000)) as string));
  const difficulty = (seen.find((n) => n['method'] === 'mining.set_difficulty')?.['params'] as number[])[0] as number;
  const notify = seen.filter((n) => n['method'] === 'mining.notify').pop()?.['params'] as NotifyWire;
  return { sessionId: subscriptions[0]?.[1] as string, extranonce1, extranonce2Size, difficulty, notify };
}

describe('two pool instances on one Redis', () => {
  let dir: string;
  let redis: TestRedis;
  let devnet: LoggedProcess;
  const pools: Record<string, LoggedProcess> = {};
  const ports: Record<string, Record<string, number>> = {};
  const miners: LoggedProcess[] = [];
  const clients: LineClient[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-cluster-'));
    redis = await startTestRedis();
    // A hard target (about 2^36 hashes a block): no block lands during these tests, so a job
    // cannot turn stale between a share and its replay on the other instance.
    devnet = spawnLogged('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode', '--nbits', '1c100000']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    for (const name of ['a', 'b']) {
      const config = writePoolConfig({ dir, name, rpcPort, redis: { url: redis.url, prefix: PREFIX, leaseSeconds: 3 } });
      const pool = spawnLogged(`pool-${name}`, entryPoints.pool, ['--config', config, '--json']);
      pools[name] = pool;
      await pool.waitFor(/pool listening.*"tiny"|"tiny".*pool listening/, 60000);
      ports[name] = listeningPorts(pool.lines);
    }
    for (const name of ['a', 'b']) {
      miners.push(
        spawnLogged(`miner-${name}`, entryPoints.miner, ['--url', `stratum+tcp://127.0.0.1:${ports[name]?.['main']}`, '--user', `e2e.${name}`, '--threads', '1']),
      );
    }
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all([...miners, ...Object.values(pools), devnet].filter(Boolean).map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function raw(name: string): Promise<LineClient> {
    const c = await LineClient.open('127.0.0.1', ports[name]?.['tiny'] as number);
    clients.push(c);
    return c;
  }

  it('serves the same template from both instances and never hands out the same extranonce1', async () => {
    await Promise.all(miners.map((m) => m.waitFor(/share accepted/, 60000)));
    const a = await handshake(await raw('a'), 'e2e.rawa');
    const b = await handshake(await raw('b'), 'e2e.rawb');
    // instance prefixes differ, so the values differ in their first byte
    expect(a.extranonce1.slice(0, 2)).not.toBe(b.extranonce1.slice(0, 2));
    // same job id for the same bus template, and the same work in it (everything but the clean flag)
    if (a.notify[0] === b.notify[0]) expect(a.notify.slice(0, 8)).toEqual(b.notify.slice(0, 8));
    else expect(Number.parseInt(a.notify[0], 16)).not.toBeNaN();
    // every extranonce1 either pool handed out, over all sessions so far, is distinct
    const handedOut = Object.values(pools).flatMap((p) =>
      p.lines.filter((l) => l.includes('miner subscribed')).map((l) => (JSON.parse(l) as { extranonce1: string; resumed: boolean }))
        .filter((s) => !s.resumed)
        .map((s) => s.extranonce1),
    );
    expect(new Set(handedOut).size).toBe(handedOut.length);
  });

  it('resumes a session on the other instance with its extranonce1, and a share replayed there is a duplicate', async () => {
    const first = await raw('a');
    const onA = await handshake(first, 'e2e.resume');
    const extranonce2 = '00'.repeat(onA.extranonce2Size);
    const share = findShare(onA.notify, onA.extranonce1, extranonce2, onA.difficulty);
    first.sendJson({ id: 10, method: 'mining.submit', params: ['e2e.resume', onA.notify[0], extranonce2, onA.notify[7], share.nonce] });
    expect((await first.reply(10)).reply).toEqual({ id: 10, result: true, error: null });
    first.close();
    await pools['a']?.waitFor(/miner disconnected/, 10000);
    await new Promise((r) => setTimeout(r, 500));

    const second = await raw('b');
    const onB = await handshake(second, 'e2e.resume', onA.sessionId);
    expect(onB.extranonce1).toBe(onA.extranonce1);
    second.sendJson({ id: 11, method: 'mining.submit', params: ['e2e.resume', onA.notify[0], extranonce2, onA.notify[7], share.nonce] });
    expect((await second.reply(11)).reply).toMatchObject({ id: 11, result: null, error: [22, expect.any(String), null] });
  });

  it('moves the job bus to the other instance when the lease holder is killed, and jobs keep flowing', async () => {
    const holder = Object.entries(pools).find(([, p]) => p.count(/took the bus lease/) > 0)?.[0] as string;
    const other = holder === 'a' ? 'b' : 'a';
    const otherPool = pools[other] as LoggedProcess;
    const otherMiner = miners[other === 'a' ? 0 : 1] as LoggedProcess;
    const leasesBefore = otherPool.count(/took the bus lease/);
    const jobsBefore = otherMiner.count(/new job/);
    const killedAt = Date.now();
    pools[holder]?.child.kill('SIGKILL');
    const deadline = Date.now() + 3000 + 2000; // lease 3 s, plus one renewal period of slack
    while (otherPool.count(/took the bus lease/) === leasesBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(otherPool.count(/took the bus lease/)).toBeGreaterThan(leasesBefore);
    expect(Date.now() - killedAt).toBeLessThan(5000);
    // the new holder publishes; the surviving instance's miner keeps getting jobs and shares accepted
    const jobDeadline = Date.now() + 60000;
    while (otherMiner.count(/new job/) === jobsBefore && Date.now() < jobDeadline) await new Promise((r) => setTimeout(r, 200));
    expect(otherMiner.count(/new job/)).toBeGreaterThan(jobsBefore);
  });
});
