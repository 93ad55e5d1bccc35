import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container, ContainerModule } from 'inversify';
import type { CoinPlugin } from '../coin-plugin';
import { COIN_PLUGIN } from '../tokens';
import { discoverPlugins } from './discover-plugins';
import { loadPlugins, selectCoin } from './load-plugins';
import { PluginLoadError } from './plugin-load-error';

type Fixture = Record<string, { manifest: object; entry?: string }>;

/** Lays out <root>/app/package.json and <root>/app/node_modules/<name>/... */
function makeHost(deps: string[], plugins: Fixture): string {
  const root = mkdtempSync(join(tmpdir(), 'lode-discovery-'));
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  const dependencies = Object.fromEntries(deps.map((d) => [d, '*']));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'host-app', dependencies }));
  for (const [name, { manifest, entry }] of Object.entries(plugins)) {
    const dir = join(app, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', main: 'index.js', ...manifest }));
    writeFileSync(join(dir, 'index.js'), entry ?? 'module.exports = { lodeCoinPlugin: globalThis.__lodeFixturePlugin };');
  }
  return app;
}

function fakeCoin(id: string, hasherFails = false): CoinPlugin {
  return {
    id,
    get hasher() {
      if (hasherFails) throw new Error('coin-x.linux-x64-gnu.node: cannot open shared object file');
      return { implementation: 'portable' };
    },
  } as unknown as CoinPlugin;
}

const goodManifest = { lode: { kind: 'coin-plugin', apiVersion: 1, coins: ['xyz'] } };
const hosts: string[] = [];
function host(deps: string[], plugins: Fixture): string {
  const h = makeHost(deps, plugins);
  hosts.push(h);
  return h;
}

afterEach(() => {
  for (const h of hosts.splice(0)) rmSync(join(h, '..'), { recursive: true, force: true });
  delete (globalThis as Record<string, unknown>)['__lodeFixturePlugin'];
});

function setPlugin(coin: CoinPlugin, apiVersion = 1): void {
  (globalThis as Record<string, unknown>)['__lodeFixturePlugin'] = {
    apiVersion,
    module: new ContainerModule(({ bind }) => {
      bind(COIN_PLUGIN).toConstantValue(coin);
    }),
  };
}

function failure(fn: () => unknown): PluginLoadError {
  try {
    fn();
  } catch (e) {
    if (e instanceof PluginLoadError) return e;
    throw e;
  }
  throw new Error('expected a PluginLoadError');
}

describe('discoverPlugins', () => {
  describe('when the config names a plugin that is installed', () => {
    it('imports it, loads it into a container and selects its coin', () => {
      setPlugin(fakeCoin('xyz'));
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const found = discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] });
      expect(found.map((p) => [p.packageName, p.version, p.manifest.coins])).toEqual([['@acme/coin-xyz', '1.2.3', ['xyz']]]);
      const coins = loadPlugins(new Container(), found);
      expect(selectCoin(coins, 'xyz').id).toBe('xyz');
    });
  });

  describe('when the config says auto', () => {
    it('finds only dependencies that declare a Lode coin plugin', () => {
      setPlugin(fakeCoin('xyz'));
      const app = host(['@acme/coin-xyz', 'left-pad'], {
        '@acme/coin-xyz': { manifest: goodManifest },
        'left-pad': { manifest: {}, entry: 'throw new Error("must not be imported")' },
        '@acme/not-a-dependency': { manifest: goodManifest },
      });
      expect(discoverPlugins({ from: app, plugins: 'auto' }).map((p) => p.packageName)).toEqual(['@acme/coin-xyz']);
    });
  });

  describe('when loading fails', () => {
    it('says not-found for a package that is not installed', () => {
      const app = host([], {});
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/coin-missing'] }));
      expect(e.failure).toBe('not-found');
      expect(e.kind).toBe('plugin');
      expect(e.message).toContain("coin plugin '@acme/coin-missing' is not installed");
    });

    it('says bad-manifest for a package without the marker or with a wrong kind', () => {
      const app = host([], {
        '@acme/plain': { manifest: {} },
        '@acme/wrong-kind': { manifest: { lode: { kind: 'dialect', apiVersion: 1, coins: ['x'] } } },
      });
      expect(failure(() => discoverPlugins({ from: app, plugins: ['@acme/plain'] })).failure).toBe('bad-manifest');
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/wrong-kind'] }));
      expect(e.failure).toBe('bad-manifest');
      expect(e.message).toContain('"lode.kind" is "dialect"');
    });

    it('says api-mismatch for a plugin built for another API version, before running its code', () => {
      const app = host([], {
        '@acme/old': { manifest: { lode: { kind: 'coin-plugin', apiVersion: 0, coins: ['x'] } }, entry: 'throw new Error("ran")' },
      });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/old'] }));
      expect(e.failure).toBe('api-mismatch');
      expect(e.message).toContain('implements plugin API 0, this app speaks 1');
    });

    it('says bad-export when the entry throws or exports no lodeCoinPlugin', () => {
      const app = host([], {
        '@acme/throws': { manifest: goodManifest, entry: 'throw new Error("boom")' },
        '@acme/empty': { manifest: goodManifest, entry: 'module.exports = {}' },
      });
      const thrown = failure(() => discoverPlugins({ from: app, plugins: ['@acme/throws'] }));
      expect(thrown.failure).toBe('bad-export');
      expect((thrown.cause as Error).message).toBe('boom');
      expect(failure(() => discoverPlugins({ from: app, plugins: ['@acme/empty'] })).failure).toBe('bad-export');
    });

    it('says native-load-failed when the hasher cannot load', () => {
      setPlugin(fakeCoin('xyz', true));
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const found = discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] });
      const e = failure(() => loadPlugins(new Container(), found));
      expect(e.failure).toBe('native-load-failed');
      expect(e.message).toContain('cannot open shared object file');
    });

    it('says unknown-coin and lists what is loaded', () => {
      setPlugin(fakeCoin('xyz'));
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const coins = loadPlugins(new Container(), discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] }));
      const e = failure(() => selectCoin(coins, 'ltc'));
      expect(e.failure).toBe('unknown-coin');
      expect(e.message).toContain('(loaded: xyz)');
    });
  });
});
