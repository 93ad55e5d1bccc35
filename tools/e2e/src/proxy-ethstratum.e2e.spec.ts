import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entryPoints } from './support/paths';
import { logRecords, minerEvents, shareLedger, startProxyProcess, waitUntil, writeProxyConfig } from './support/proxy-run';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/** The pool's fixed share difficulty: the proxy must forward only shares that meet it. */
const POOL_DIFFICULTY = 400;
/** The proxy's fixed share difficulty for its miners: 4 times easier, so about 3 in 4 of their shares stay at the proxy. */
const PROXY_DIFFICULTY = 100;
/** The account the proxy mines for at the pool (credentials: proxy). */
const PROXY_USER = '0x00000000000000000000000000000000000000e2.proxy';
const RIGS = ['rig1', 'rig2', 'rig3'];
/** Shares the pool must have accepted before the books are closed (light-cache miners: about two a second here). */
const POOL_SHARES = 10;

/**
 * The proxy on the EthereumStratum/2.0.0 path end to end: the ethash devnet,
 * the pool's ethstratum port, the proxy (upstream = that port) and three
 * light-cache miners connected to the proxy, all real processes on loopback,
 * judged from their JSON logs.
 *
 * The pool gives each session a 2-byte extranonce, leaving 6 bytes of the
 * 8-byte nonce; the proxy keeps 2 of them as a per-miner suffix of the
 * extranonce and its miners search the other 4 (apps/proxy/src/core/subdivision.ts).
 */
describe('the proxy on the EthereumStratum/2.0.0 path end to end (ethash devnet, pool, proxy and 3 miners as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess;
  let pool: LoggedProcess;
  let proxy: LoggedProcess;
  const miners: LoggedProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-proxy-eth-'));
    // ~100000 light hashes per block: minutes for these miners, so the work stays the same while the shares are counted
    devnet = spawnLogged('devnet', entryPoints.devnet, ['ethash', '--host', '127.0.0.1', '--port', '0', '--difficulty', '100000']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 60000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const poolConfig = {
      plugins: ['@lode/coin-ethereum'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
      coins: { eth: { node: { url: `http://127.0.0.1:${rpcPort}`, pollIntervalMs: 200 } } },
      // a fixed difficulty (no vardiff): every share the proxy forwards is judged at POOL_DIFFICULTY
      ports: [{ name: 'es2', host: '127.0.0.1', port: 0, coin: 'eth', dialect: 'ethstratum', difficulty: { initial: POOL_DIFFICULTY } }],
      shutdownGraceSeconds: 2,
    };
    const poolConfigFile = join(dir, 'pool.json');
    writeFileSync(poolConfigFile, JSON.stringify(poolConfig));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', poolConfigFile, '--json']);
    const poolListening = await pool.waitFor(/"msg":"pool listening"/, 60000);
    const poolPort = Number((JSON.parse(poolListening) as { url: string }).url.split(':').pop());

    const started = await startProxyProcess(
      writeProxyConfig({
        dir,
        plugin: '@lode/coin-ethereum',
        coin: 'eth',
        dialect: 'ethstratum',
        upstreamPort: poolPort,
        user: PROXY_USER,
        difficulty: PROXY_DIFFICULTY,
      }),
    );
    proxy = started.proxy;
    for (const rig of RIGS) {
      miners.push(
        spawnLogged(rig, entryPoints.miner, [
          '--coin',
          'eth',
          '--url',
          `stratum3+tcp://127.0.0.1:${started.port}`,
          '--user',
          `0x00000000000000000000000000000000000000e2.${rig}`,
          '--threads',
          '1',
          '--stats-interval',
          '0',
          '--hashrate-report',
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

  it('carries the 3 miners on one upstream session, each with its own extranonce under the one the pool gave the proxy', async () => {
    await Promise.all(miners.map((m) => m.waitFor(/"event":"accepted"/, 120000)));

    const poolSubscriptions = logRecords(pool, 'miner subscribed');
    expect(poolSubscriptions).toHaveLength(1);
    const upstreamExtranonce = poolSubscriptions[0]?.['extranonce'] as string;
    expect(upstreamExtranonce).toMatch(/^[0-9a-f]{4}$/);

    // the proxy's side of that one session: the same extranonce, 2 of the 6 nonce bytes left kept as the miners' suffix
    const upstream = logRecords(proxy, 'upstream connected');
    expect(upstream).toHaveLength(1);
    expect(upstream[0]).toMatchObject({ extranonce1: upstreamExtranonce, extranonce2Size: 6, suffixBytes: 2 });

    // what the proxy gave each miner connection, by worker name
    const extranonceOfConn = new Map(logRecords(proxy, 'miner subscribed').map((r) => [r['conn'], r['extranonce'] as string]));
    const extranonceOfRig = new Map(
      logRecords(proxy, 'worker authorized').map((r) => [String(r['worker']).split('.').pop(), extranonceOfConn.get(r['conn']) as string]),
    );
    const given = RIGS.map((rig) => extranonceOfRig.get(rig) as string);
    expect(new Set(given).size).toBe(3);
    for (const extranonce of given) {
      expect(extranonce.startsWith(upstreamExtranonce)).toBe(true);
      expect(extranonce).toHaveLength(upstreamExtranonce.length + 4);
    }
    // and each miner really searched under its own extranonce: every nonce it had accepted starts with it
    for (const [i, miner] of miners.entries()) {
      const nonces = minerEvents(miner, 'accepted').map((r) => r['nonce'] as string);
      expect(nonces.length).toBeGreaterThan(0);
      for (const nonce of nonces) expect(nonce.slice(0, 8)).toBe(given[i]);
    }
  });

  it('forwards exactly the shares that meet the pool\'s target, and the pool accepts every one of them', async () => {
    await waitUntil(
      () => logRecords(pool, /^share accepted/).length >= POOL_SHARES && miners.every((m) => minerEvents(m, 'accepted').length >= 2),
      150000,
      () => `pool accepted ${logRecords(pool, /^share accepted/).length} shares, miners ${miners.map((m) => minerEvents(m, 'accepted').length).join('/')}`,
    );
    // close the books: miners first, then the proxy (it waits for its forwarded shares' answers), then the pool
    await Promise.all(miners.map((m) => m.stop()));
    await proxy.stop();
    await pool.stop();

    const ledger = shareLedger(pool, proxy);
    expect(ledger.complete).toBe(true);
    // still one upstream session after all that mining
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
