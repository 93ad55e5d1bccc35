import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryPoints } from './support/paths';
import { logRecords, minerEvents, shareLedger, startProxyProcess, waitUntil, writeProxyConfig } from './support/proxy-run';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** The address of facts/warthog.md §6-H (its checksum fe5f4093 is valid). */
const ADDRESS = '3661579d61abde5837a8686dc4d65348a2fc61b1fe5f4093';
/** The pool's fixed share difficulty: the proxy must forward only shares that meet it. */
const POOL_DIFFICULTY = 1000000;
/** The proxy's fixed share difficulty for its miners: 5 times easier, so about 4 in 5 of their shares stay at the proxy. */
const PROXY_DIFFICULTY = 200000;
/** The account the proxy mines for at the pool (credentials: proxy). */
const PROXY_USER = `${ADDRESS}.proxy`;
const RIGS = ['rig1', 'rig2', 'rig3'];
/** Shares the pool must have accepted before the books are closed. */
const POOL_SHARES = 15;

/**
 * The proxy on the Warthog path end to end: the Warthog devnet, the pool's
 * warthog port, the proxy (upstream = that port) and three Janushash miners
 * connected to the proxy, all real processes on loopback, judged from their
 * JSON logs.
 *
 * The pool gives 4 bytes of extranonce1 and 6 of extranonce2; the proxy
 * keeps 2 of the 6 as a per-miner suffix of extranonce1 and its miners roll
 * the other 4 (apps/proxy/src/core/subdivision.ts).
 */
describe('the proxy on the Warthog path end to end (warthog devnet, pool, proxy and 3 miners as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let proxy: LoggedProcess;
  const miners: LoggedProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-proxy-wart-'));
    // A block every few seconds (5 times the pool's share difficulty), so fresh work keeps coming:
    // - lode-miner's warthog client does not start scanning a job that arrives between its subscribe and
    //   authorize replies (the proxy sends it then) until the next job comes;
    // - the pool's 30 s refresh of a warthog job is the same work under a new id, and the miners, which
    //   restart at extranonce2 0 on every job, would submit their shares again (duplicates at the proxy).
    // If no miner scans at first, the 30 s refresh starts them all.
    devnet = spawnLogged('devnet', entryPoints.devnet, ['warthog', '--host', '127.0.0.1', '--port', '0', '--difficulty', '5000000']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const poolConfig = {
      plugins: ['@lode/coin-warthog'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
      coins: { wart: { node: { url: `http://127.0.0.1:${rpcPort}`, pollIntervalMs: 200 }, payoutAddress: ADDRESS } },
      // a fixed difficulty (no vardiff): every share the proxy forwards is judged at POOL_DIFFICULTY
      ports: [{ name: 'wart', host: '127.0.0.1', port: 0, coin: 'wart', dialect: 'warthog', difficulty: { initial: POOL_DIFFICULTY } }],
      shutdownGraceSeconds: 2,
    };
    const poolConfigFile = join(dir, 'pool.json');
    writeFileSync(poolConfigFile, JSON.stringify(poolConfig));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', poolConfigFile, '--json']);
    const poolListening = await pool.waitFor(/"msg":"pool listening"/, 60000);
    const poolPort = Number((JSON.parse(poolListening) as { url: string }).url.split(':').pop());

    const started = await startProxyProcess(
      writeProxyConfig({ dir, plugin: '@lode/coin-warthog', coin: 'wart', dialect: 'warthog', upstreamPort: poolPort, user: PROXY_USER, difficulty: PROXY_DIFFICULTY }),
    );
    proxy = started.proxy;
    for (const rig of RIGS) {
      miners.push(
        spawnLogged(rig, entryPoints.miner, [
          '--coin',
          'wart',
          '--url',
          `stratum+tcp://127.0.0.1:${started.port}`,
          '--user',
          `${ADDRESS}.${rig}`,
          '--threads',
          '1',
          '--stats-interval',
          '0',
          '--json',
        ]),
      );
    }
  });

  afterAll(async () => {
    await Promise.all(miners.map((m) => m.stop()));
    await Promise.all([proxy, pool, devnet].filter(Boolean).map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the 3 miners on one upstream connection, each with its own extranonce1 under the one the pool gave the proxy', async () => {
    await Promise.all(miners.map((m) => m.waitFor(/"event":"subscribed"/, 30000)));

    const poolSubscriptions = logRecords(pool, 'miner subscribed');
    expect(poolSubscriptions).toHaveLength(1);
    expect(poolSubscriptions[0]?.['userAgent']).toMatch(/^lode-proxy\//);
    const upstreamExtranonce1 = poolSubscriptions[0]?.['extranonce1'] as string;
    expect(upstreamExtranonce1).toMatch(/^[0-9a-f]{8}$/);

    // the proxy's side of that one connection: the same extranonce1, 2 of the pool's 6 extranonce2 bytes kept as the miners' suffix
    const upstream = logRecords(proxy, 'upstream connected');
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({ extranonce1: upstreamExtranonce1, extranonce2Size: 6, suffixBytes: 2, difficulty: POOL_DIFFICULTY });

    const given = miners.map((m) => minerEvents(m, 'subscribed'));
    for (const events of given) expect(events).toHaveLength(1);
    const extranonce1s = given.map((events) => events[0]?.['extranonce1'] as string);
    expect(new Set(extranonce1s).size).toBe(3);
    for (const [i, events] of given.entries()) {
      expect(extranonce1s[i]?.startsWith(upstreamExtranonce1)).toBe(true);
      expect(extranonce1s[i]).toHaveLength(upstreamExtranonce1.length + 4);
      expect(events[0]?.['extranonce2Size']).toBe(4);
    }
  });

  it('forwards exactly the shares that meet the pool\'s target, and the pool accepts every one of them', async () => {
    await waitUntil(
      () => logRecords(pool, 'share accepted').length >= POOL_SHARES && miners.every((m) => minerEvents(m, 'accepted').length >= 2),
      120000,
      () => `pool accepted ${logRecords(pool, 'share accepted').length} shares, miners ${miners.map((m) => minerEvents(m, 'accepted').length).join('/')}`,
    );
    // close the books: miners first, then the proxy (it waits for its forwarded shares' answers), then the pool
    await Promise.all(miners.map((m) => m.stop()));
    await proxy.stop();
    await pool.stop();

    const ledger = shareLedger(pool, proxy);
    expect(ledger.complete).toBe(true);
    // still one upstream connection after all that mining
    expect(logRecords(pool, 'miner subscribed')).toHaveLength(1);
    expect(logRecords(proxy, 'upstream connected')).toHaveLength(1);

    // every share the pool judged came from the proxy, at the pool's difficulty
    expect(ledger.poolAccepted.length).toBeGreaterThanOrEqual(POOL_SHARES);
    for (const r of [...ledger.poolAccepted, ...ledger.poolRejected]) expect(r['worker']).toBe(PROXY_USER);
    for (const r of ledger.poolAccepted) expect(r['difficulty']).toBe(POOL_DIFFICULTY);
    // the pool refuses nothing but a share that lost the race with a new block
    expect(ledger.poolRejected.map((r) => r['reason']).filter((reason) => reason !== 'stale')).toEqual([]);
    expect(ledger.forwardedUnanswered).toEqual([]);
    // the proxy's books and the pool's agree share for share
    expect(ledger.forwardedAccepted).toHaveLength(ledger.poolAccepted.length);
    expect(ledger.forwardedRejected).toHaveLength(ledger.poolRejected.length);

    // the proxy forwarded exactly its miners' shares that met the upstream target, and kept the rest
    const forwarded = ledger.proxyAccepted.filter((r) => r['upstream'] === 'pool');
    expect(forwarded).toHaveLength(ledger.forwardedAccepted.length + ledger.forwardedRejected.length);
    for (const r of forwarded) expect(r['shareDifficulty'] as number).toBeGreaterThanOrEqual(POOL_DIFFICULTY);
    for (const r of ledger.proxyAccepted) expect(r['difficulty']).toBe(PROXY_DIFFICULTY);
    expect(ledger.proxyAccepted.length).toBeGreaterThan(forwarded.length);
    expect(ledger.proxyRejected.map((r) => r['reason']).filter((reason) => reason !== 'stale')).toEqual([]);
    const workers = new Set(ledger.proxyAccepted.map((r) => String(r['worker']).split('.').pop()));
    expect([...workers].sort()).toEqual(RIGS);
  });
});
