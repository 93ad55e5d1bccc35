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

  describe('when loading fails, the error names the failure and says what to do', () => {
    it('says not-found for a package that is not installed, with the npm install to run', () => {
      const app = host([], {});
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/coin-missing'] }));
      expect(e.failure).toBe('not-found');
      expect(e.kind).toBe('plugin');
      expect(e.plugin).toBe('@acme/coin-missing');
      expect(e.message).toMatch(/^\[not-found\] coin plugin '@acme\/coin-missing' is not installed/);
      expect(e.message).toContain(`run npm install @acme/coin-missing in ${app}`);
    });

    it('says bad-manifest for a package without the marker, with the marker to add', () => {
      const app = host([], { '@acme/plain': { manifest: {} } });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/plain'] }));
      expect(e.failure).toBe('bad-manifest');
      expect(e.message).toContain('has no "lode" block');
      expect(e.message).toContain('add "lode": { "kind": "coin-plugin", "apiVersion": 1, "coins": ["<coin id>"] }');
    });

    it('says bad-manifest for a wrong kind, with the value to set', () => {
      const app = host([], { '@acme/wrong-kind': { manifest: { lode: { kind: 'dialect', apiVersion: 1, coins: ['x'] } } } });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/wrong-kind'] }));
      expect(e.failure).toBe('bad-manifest');
      expect(e.message).toContain('"lode.kind" is "dialect", expected "coin-plugin": set it to "coin-plugin"');
      expect(e.message).toContain('"lode": { "kind": "coin-plugin", "apiVersion": 1, "coins": ["x"] }');
    });

    it('says bad-manifest for missing coins or a non-numeric apiVersion', () => {
      const app = host([], {
        '@acme/no-coins': { manifest: { lode: { kind: 'coin-plugin', apiVersion: 1, coins: [] } } },
        '@acme/text-version': { manifest: { lode: { kind: 'coin-plugin', apiVersion: '1', coins: ['x'] } } },
      });
      const noCoins = failure(() => discoverPlugins({ from: app, plugins: ['@acme/no-coins'] }));
      expect([noCoins.failure, noCoins.message]).toEqual(['bad-manifest', expect.stringContaining('"lode.coins" is [], it must be a non-empty array of coin ids')]);
      const textVersion = failure(() => discoverPlugins({ from: app, plugins: ['@acme/text-version'] }));
      expect([textVersion.failure, textVersion.message]).toEqual(['bad-manifest', expect.stringContaining('"lode.apiVersion" is "1", it must be a number: set it to 1')]);
    });

    it('says api-mismatch for a plugin built for another API version, before running its code', () => {
      const app = host([], {
        '@acme/old': { manifest: { lode: { kind: 'coin-plugin', apiVersion: 0, coins: ['x'] } }, entry: 'throw new Error("ran")' },
      });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/old'] }));
      expect(e.failure).toBe('api-mismatch');
      expect(e.message).toContain('implements plugin API 0, this app speaks 1');
      expect(e.message).toContain('install a version of the plugin built for API 1');
      expect(e.message).toContain('sets apiVersion to 1');
    });

    it('says api-mismatch when the entry exports another apiVersion than its package.json declares (a stale build)', () => {
      setPlugin(fakeCoin('xyz'), 2);
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] }));
      expect(e.failure).toBe('api-mismatch');
      expect(e.message).toContain('implements plugin API 2, this app speaks 1 (lodeCoinPlugin.apiVersion of its entry)');
    });

    it('says bad-export when the entry throws, keeping the cause', () => {
      const app = host([], { '@acme/throws': { manifest: goodManifest, entry: 'throw new Error("boom")' } });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/throws'] }));
      expect(e.failure).toBe('bad-export');
      expect((e.cause as Error).message).toBe('boom');
      expect(e.message).toContain("failed while loading its entry: boom; fix that error in the plugin's entry");
    });

    it('says bad-export when the entry file is missing, with the build to run (also when "exports" hides package.json)', () => {
      const app = host([], { '@acme/unbuilt': { manifest: { ...goodManifest, exports: './dist/index.js' } } });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/unbuilt'] }));
      expect(e.failure).toBe('bad-export');
      expect(e.message).toContain('build it (npx nx run @acme/unbuilt:build)');
    });

    it('says bad-export when there is no lodeCoinPlugin, or its module is not a ContainerModule', () => {
      const app = host([], {
        '@acme/empty': { manifest: goodManifest, entry: 'module.exports = { somethingElse: 1 }' },
        '@acme/plain-object': { manifest: goodManifest, entry: 'module.exports = { lodeCoinPlugin: { apiVersion: 1, module: {} } }' },
      });
      const empty = failure(() => discoverPlugins({ from: app, plugins: ['@acme/empty'] }));
      expect(empty.failure).toBe('bad-export');
      expect(empty.message).toContain('has no lodeCoinPlugin export (its entry exports somethingElse)');
      expect(empty.message).toContain('export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION (1), module: <a ContainerModule that binds COIN_PLUGIN> }');
      const plain = failure(() => discoverPlugins({ from: app, plugins: ['@acme/plain-object'] }));
      expect(plain.failure).toBe('bad-export');
      expect(plain.message).toContain('lodeCoinPlugin.module that is not an inversify ContainerModule');
    });

    it('says native-load-failed when the entry itself loads a .node file that is missing', () => {
      const app = host([], {
        '@acme/coin-eager': { manifest: goodManifest, entry: 'require("./native/coin-eager.linux-x64-gnu.node");' },
      });
      const e = failure(() => discoverPlugins({ from: app, plugins: ['@acme/coin-eager'] }));
      expect(e.failure).toBe('native-load-failed');
      expect(e.message).toContain("Cannot find module './native/coin-eager.linux-x64-gnu.node'");
      expect(e.message).toContain('build its native addon: npx nx run @acme/coin-eager:build-native');
    });

    it('says native-load-failed when the hasher cannot load, naming the plugin and the build', () => {
      setPlugin(fakeCoin('xyz', true));
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const found = discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] });
      const e = failure(() => loadPlugins(new Container(), found));
      expect(e.failure).toBe('native-load-failed');
      expect(e.plugin).toBe('xyz');
      expect(e.message).toContain("[native-load-failed] the native hasher of coin 'xyz' did not load: coin-x.linux-x64-gnu.node: cannot open shared object file");
      expect(e.message).toContain('build the native addon of @acme/coin-xyz: npx nx run @acme/coin-xyz:build-native');
    });

    it('says unknown-coin, lists what is loaded and says how to add the plugin', () => {
      setPlugin(fakeCoin('xyz'));
      const app = host([], { '@acme/coin-xyz': { manifest: goodManifest } });
      const coins = loadPlugins(new Container(), discoverPlugins({ from: app, plugins: ['@acme/coin-xyz'] }));
      const e = failure(() => selectCoin(coins, 'ltc'));
      expect(e.failure).toBe('unknown-coin');
      expect(e.message).toContain("no loaded plugin contributes coin 'ltc' (loaded: xyz)");
      expect(e.message).toContain('to "plugins" in the config');
    });
  });
});
