import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listeningPorts } from './support/pool-config';
import { entryPoints } from './support/paths';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

const WALLET = '0x00000000000000000000000000000000000000e3';

/** One miner per Ethereum dialect, by ethminer's scheme names (facts/ethash.md §1.5). */
const MINERS = [
  { dialect: 'ethproxy', scheme: 'stratum1+tcp', worker: `${WALLET}.proxy`, name: 'EthProxy (stratum1)' },
  { dialect: 'es1', scheme: 'stratum2+tcp', worker: `${WALLET}.nicehash`, name: 'EthereumStratum/1.0.0 (stratum2)' },
  { dialect: 'es2', scheme: 'stratum3+tcp', worker: `${WALLET}.es2`, name: 'EthereumStratum/2.0.0 (stratum3)' },
  { dialect: 'plain', scheme: 'stratum+tcp', worker: `${WALLET}.plain`, name: 'plain stratum (stratum)' },
] as const;

/** The JSON lines of `p` whose `msg` is `msg`. */
function jsonLines(p: LoggedProcess, msg: string): Record<string, unknown>[] {
  return p.lines.filter((l) => l.startsWith('{') && l.includes(msg)).map((l) => JSON.parse(l) as Record<string, unknown>).filter((o) => o['msg'] === msg);
}

/**
 * The four Ethereum dialects on ONE pool port: the ethash devnet, the pool
 * with a single ethstratum port that tells each connection's dialect from
 * its first message, and four miner processes on that port speaking
 * EthProxy, NiceHash EthereumStratum/1.0.0, EthereumStratum/2.0.0 and plain
 * stratum, all mining the same chain with the epoch-0 light cache.
 */
describe('four Ethereum dialects on one pool port (ethash devnet, pool and four miners as processes on loopback)', () => {
  let dir: string;
  let devnet: LoggedProcess | undefined;
  let pool: LoggedProcess | undefined;
  const miners: LoggedProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-eth-dialects-'));
    // ~3000 light hashes per block for four light-cache miners sharing 2 cores; all in epoch 0
    devnet = spawnLogged('devnet', entryPoints.devnet, ['ethash', '--host', '127.0.0.1', '--port', '0', '--difficulty', '3000', '--start-height', '100']);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const config = {
      plugins: ['@lode/coin-ethereum'],
      log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
      coins: { eth: { node: { url: `http://127.0.0.1:${rpcPort}`, pollIntervalMs: 200 } } },
      engine: { acceptStaleHeights: 3 },
      ports: [
        {
          name: 'eth-any',
          host: '127.0.0.1',
          port: 0,
          coin: 'eth',
          dialect: 'ethstratum',
          difficulty: { initial: 40 },
          ethstratum: { dialects: ['es2', 'es1', 'ethproxy', 'plain'], node: 'Lode ethash devnet' },
        },
      ],
      shutdownGraceSeconds: 2,
    };
    const configFile = join(dir, 'pool.json');
    writeFileSync(configFile, JSON.stringify(config));
    pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json']);
    await pool.waitFor(/pool listening/, 30000);
    const port = listeningPorts(pool.lines)['eth-any'];
    for (const m of MINERS) {
      miners.push(
        spawnLogged(`miner-${m.dialect}`, entryPoints.miner, [
          '--coin',
          'eth',
          '--url',
          `${m.scheme}://127.0.0.1:${port}`,
          '--user',
          m.worker,
          '--threads',
          '1',
          '--stats-interval',
          '5',
          '--hashrate-report',
          '5',
        ]),
      );
    }
  }, 60000);

  afterAll(async () => {
    // miners first (their last shares are answered), then the pool, then the node
    await Promise.all(miners.map((p) => p.stop()));
    await pool?.stop();
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('each miner says which dialect it speaks, and the pool detects each dialect once', async () => {
    for (const [i, m] of MINERS.entries()) {
      await miners[i]?.waitFor(new RegExp(`speaking ${m.name.replace(/[()/.+]/g, '\\$&')} to 127\\.0\\.0\\.1:\\d+`), 10000);
    }
    const p = pool as LoggedProcess;
    for (const m of MINERS) await p.waitFor(new RegExp(`"dialect":"${m.dialect}".*dialect detected|dialect detected.*"dialect":"${m.dialect}"`), 30000);
    const detected = jsonLines(p, 'dialect detected').map((o) => o['dialect']);
    expect([...detected].sort()).toEqual(['es1', 'es2', 'ethproxy', 'plain']);
  });

  it('every miner gets accepted shares, credited to its own worker by the pool', async () => {
    const p = pool as LoggedProcess;
    for (const [i, m] of MINERS.entries()) {
      await miners[i]?.waitFor(/share accepted/, 60000);
      await p.waitFor(new RegExp(`"worker":"${m.worker.replace('.', '\\.')}".*share accepted|share accepted.*"worker":"${m.worker.replace('.', '\\.')}"`), 10000);
    }
    for (const miner of miners) expect(miner.count(/share rejected/)).toBe(0);
    expect(p.count(/share rejected/)).toBe(0);
  });

  it('the devnet accepts a block found through the pool on the shared chain', async () => {
    await (devnet as LoggedProcess).waitFor(/block \d+ accepted/, 60000);
    await (pool as LoggedProcess).waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 10000);
  });
});
