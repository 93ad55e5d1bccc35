import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_COIN, FAKE_SCOPE, fakePluginName, nodePathWith, writeFakePlugins, type FakePluginFault } from './support/fake-plugins';
import { DEVNET_PAYOUT_ADDRESS, entryPoints, repoRoot } from './support/paths';
import { listeningPorts } from './support/pool-config';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';

/*
 * Run-time plugin discovery with the real pool process (apps/pool/dist/main.js):
 * the Bitcoin plugin, which no app imports, is found through the config's
 * "plugins" (by name and with "auto"), loaded into the pool's container and
 * mined on the devnet; and each way a plugin can fail to load stops the pool
 * with exit code 2 and a stderr line naming the failure and what to do.
 */

const POOL_PACKAGE = join(repoRoot, 'apps/pool/package.json');

/** The plugin packages "auto" must find: apps/pool's dependencies whose package.json carries the coin-plugin marker. */
function declaredPlugins(): string[] {
  const deps = Object.keys((JSON.parse(readFileSync(POOL_PACKAGE, 'utf8')) as { dependencies: Record<string, string> }).dependencies);
  return deps.filter((name) => {
    try {
      const pkg = JSON.parse(readFileSync(require.resolve(`${name}/package.json`, { paths: [join(repoRoot, 'apps/pool')] }), 'utf8')) as {
        lode?: { kind?: string };
      };
      return pkg.lode?.kind === 'coin-plugin';
    } catch {
      return false;
    }
  });
}

/** Every .js file under a directory. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name));
}

/** The "coin plugin loaded" JSON lines of a pool: package name -> coins. */
function loadedPlugins(pool: LoggedProcess): Record<string, string[]> {
  const loaded: Record<string, string[]> = {};
  for (const line of pool.lines.filter((l) => l.includes('"coin plugin loaded"'))) {
    const o = JSON.parse(line) as { plugin: string; coins: string[] };
    loaded[o.plugin] = o.coins;
  }
  return loaded;
}

describe('coin plugin discovery with the real pool process', () => {
  let dir: string;
  let fakeModules: string;
  const started: LoggedProcess[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-e2e-discovery-'));
    fakeModules = writeFakePlugins(dir);
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  function start(name: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}): LoggedProcess {
    const p = spawnLogged(name, script, args, env);
    started.push(p);
    return p;
  }

  function writeConfig(name: string, config: object): string {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  }

  it('no app imports a coin plugin: the pool gets it by discovery only', () => {
    const imports = jsFiles(join(repoRoot, 'apps/pool/dist')).filter((f) => /require\("@lode\/coin-/.test(readFileSync(f, 'utf8')));
    expect(imports).toEqual([]);
  });

  describe('a plugin found through the config loads into the container and mines on the devnet', () => {
    let rpcPort = 0;

    beforeAll(async () => {
      const devnet = start('devnet', entryPoints.devnet, ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode']);
      const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
      rpcPort = Number(/:(\d+)/.exec(listening.split('http://')[1] ?? '')?.[1]);
    });

    /** A pool with the given "plugins", one fixed-difficulty btc port, and one miner on it; resolves when both saw a share accepted. */
    async function mineOneShare(name: string, plugins: string[] | 'auto'): Promise<LoggedProcess> {
      const config = writeConfig(name, {
        plugins,
        log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
        coins: {
          btc: {
            node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
            payoutAddress: DEVNET_PAYOUT_ADDRESS,
            network: 'regtest',
            coinbaseTag: '/Lode discovery e2e/',
          },
        },
        ports: [{ name: 'main', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: 0.0001 } }],
        shutdownGraceSeconds: 1,
      });
      const pool = start(`pool-${name}`, entryPoints.pool, ['--config', config, '--json']);
      await pool.waitFor(/pool listening/, 30000);
      const port = listeningPorts(pool.lines)['main'] as number;
      const miner = start(`miner-${name}`, entryPoints.miner, [
        '--url',
        `stratum+tcp://127.0.0.1:${port}`,
        '--user',
        `e2e.${name}`,
        '--threads',
        '1',
        '--plugins',
        '@lode/coin-bitcoin',
        '--stats-interval',
        '0',
        '--exit-after-accepted',
        '1',
      ]);
      await miner.waitFor(/share accepted/, 30000);
      await pool.waitFor(new RegExp(`share accepted.*e2e\\.${name}|e2e\\.${name}.*share accepted`), 10000);
      return pool;
    }

    it('plugins: ["@lode/coin-bitcoin"] loads that plugin alone, its native hasher, and a share is accepted', async () => {
      const pool = await mineOneShare('explicit', ['@lode/coin-bitcoin']);
      expect(loadedPlugins(pool)).toEqual({ '@lode/coin-bitcoin': ['btc'] });
      // the coin's native hasher was loaded (loadPlugins touches it) and named its code path
      expect(pool.lines.find((l) => l.includes('waiting for the first template'))).toMatch(/"hasher":"(sha-ni|portable)"/);
    });

    it('plugins: "auto" loads every declared plugin the pool depends on, the Bitcoin one among them, and a share is accepted', async () => {
      const pool = await mineOneShare('auto', 'auto');
      const expected = declaredPlugins();
      expect(expected).toContain('@lode/coin-bitcoin');
      expect(Object.keys(loadedPlugins(pool)).sort()).toEqual([...expected].sort());
      expect(loadedPlugins(pool)['@lode/coin-bitcoin']).toEqual(['btc']);
    });
  });

  describe('a plugin that cannot load stops the pool with exit code 2 and says what to do', () => {
    /** Runs a pool that must fail at start; resolves with its exit code and its stderr line. */
    async function failingPool(name: string, plugins: string[], coin: string): Promise<{ code: number | null; error: string }> {
      const config = writeConfig(name, {
        plugins,
        log: { level: 'info', format: 'json' },
        coins: { [coin]: {} },
        ports: [{ host: '127.0.0.1', port: 0, coin, difficulty: { initial: 1 } }],
      });
      const pool = start(`pool-${name}`, entryPoints.pool, ['--config', config, '--json'], { NODE_PATH: nodePathWith(fakeModules) });
      // 'close': the process exited and its stdout and stderr are read to the end
      const code = await new Promise<number | null>((resolve) => {
        if (pool.child.exitCode !== null && pool.child.stderr?.readableEnded === true) resolve(pool.child.exitCode);
        else pool.child.once('close', (exitCode: number | null) => resolve(exitCode));
      });
      expect(pool.count(/pool listening/)).toBe(0);
      return { code, error: pool.lines.find((l) => l.startsWith('lode-pool: ')) ?? '' };
    }

    it('not-found: a plugin that is not installed, with the npm install to run', async () => {
      const { code, error } = await failingPool('not-found', [`${FAKE_SCOPE}/coin-not-installed`], FAKE_COIN);
      expect(code).toBe(2);
      expect(error).toContain("lode-pool: plugin error: [not-found] coin plugin '@lode-test/coin-not-installed' is not installed");
      expect(error).toContain('run npm install @lode-test/coin-not-installed');
    });

    const faults: [FakePluginFault, string[]][] = [
      ['bad-manifest', ['"lode.kind" is "dialect", expected "coin-plugin"', 'set it to "coin-plugin"']],
      ['api-mismatch', ['implements plugin API 99, this app speaks 1', 'sets apiVersion to 1']],
      ['bad-export', ['lodeCoinPlugin.module that is not an inversify ContainerModule', 'module: <a ContainerModule that binds COIN_PLUGIN>']],
      [
        'native-load-failed',
        [
          `the native hasher of coin '${FAKE_COIN}' did not load: Cannot find module './native/coin-native-load-failed.linux-x64-gnu.node'`,
          `npx nx run ${fakePluginName('native-load-failed')}:build-native`,
        ],
      ],
    ];
    it.each(faults)('%s: the fake plugin resolved through NODE_PATH', async (fault, advice) => {
      const { code, error } = await failingPool(fault, [fakePluginName(fault)], FAKE_COIN);
      expect(code).toBe(2);
      expect(error).toMatch(new RegExp(`^lode-pool: plugin error: \\[${fault}\\] `));
      for (const text of advice) expect(error).toContain(text);
    });

    it('unknown-coin: a port mines a coin no loaded plugin contributes, with the plugins loaded and how to add one', async () => {
      const { code, error } = await failingPool('unknown-coin', ['@lode/coin-bitcoin'], 'ltc');
      expect(code).toBe(2);
      expect(error).toContain("lode-pool: plugin error: [unknown-coin] no loaded plugin contributes coin 'ltc' (loaded: btc)");
      expect(error).toContain('to "plugins" in the config');
    });
  });
});
