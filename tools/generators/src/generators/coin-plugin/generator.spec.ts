import { readJson, type Tree } from '@nx/devkit';
import { workspaceTree } from '../../testing/workspace-tree';
import { coinPluginGenerator } from './generator';

const ROOT = 'plugins/coin-demo';

describe('coin-plugin generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = workspaceTree();
  });

  describe('dialect bitcoin', () => {
    beforeEach(async () => {
      await coinPluginGenerator(tree, { name: 'demo', algorithm: 'sha256x', dialect: 'bitcoin' });
    });

    it('writes the package with the coin-plugin marker, tag, targets and napi block', () => {
      const pkg = readJson(tree, `${ROOT}/package.json`);
      const bitcoin = readJson(tree, 'plugins/coin-bitcoin/package.json');
      expect(pkg.name).toBe('@lode/coin-demo');
      // packages/plugin-api/src/coin-plugin.ts: LODE_PLUGIN_API_VERSION = 1
      expect(pkg.lode).toEqual({ kind: 'coin-plugin', apiVersion: 1, coins: ['demo'] });
      expect(pkg.nx.tags).toEqual(['type:coin-plugin']);
      expect(pkg.nx.targets['build-native']).toEqual(bitcoin.nx.targets['build-native']);
      expect(pkg.napi).toEqual({ binaryName: 'coin-demo', targets: ['x86_64-unknown-linux-gnu'] });
      expect(pkg.exports['.']).toEqual({ '@lode/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' });
      expect(Object.keys(pkg.dependencies).sort()).toEqual(['@lode/mining', '@lode/plugin-api', 'bitcoinjs-lib', 'inversify', 'reflect-metadata', 'rxjs']);
    });

    it('writes the project configs, native crate, sources and conformance spec', () => {
      for (const file of [
        'tsconfig.json',
        'tsconfig.lib.json',
        'tsconfig.spec.json',
        'jest.config.cjs',
        'eslint.config.mjs',
        'README.md',
        'native/Cargo.toml',
        'native/build.rs',
        'native/src/lib.rs',
        'native/index.js',
        'native/index.d.ts',
        'src/index.ts',
        'src/native-hasher.ts',
        'src/plugin/demo-coin-plugin.ts',
        'src/plugin/demo-plugin-module.ts',
        'src/plugin/demo-plugin-config.ts',
        'src/plugin/demo-job.ts',
        'src/difficulty/demo-target.ts',
        'src/header/build-header.ts',
        'src/coinbase/build-coinbase.ts',
        'src/merkle/merkle-branches.ts',
        'src/rpc/bitcoind-rpc-client.ts',
        'src/node/bitcoin-node.ts',
        'src/demo.conformance.spec.ts',
      ]) {
        expect(`${file}: ${tree.exists(`${ROOT}/${file}`)}`).toBe(`${file}: true`);
      }
      expect(tree.read(`${ROOT}/jest.config.cjs`, 'utf-8')).toContain("displayName: 'coin-demo'");
    });

    it('names the crate and makes its hash and scan fail with what to write', () => {
      expect(tree.read(`${ROOT}/native/Cargo.toml`, 'utf-8')).toContain('name = "lode-coin-demo-native"');
      const lib = tree.read(`${ROOT}/native/src/lib.rs`, 'utf-8') ?? '';
      expect(lib).toContain('"demo: {what} is not written yet: implement the sha256x {what} in plugins/coin-demo/native/src/lib.rs (see docs/plugin-authors.md)"');
      expect(lib).toContain('Err(not_written("hash"))');
      expect(lib).toContain('not_written("scan")');
      expect(lib).toContain('pub fn hash(header: Buffer) -> Result<Buffer>');
    });

    it("derives the loader from coin-bitcoin's, for coin-demo's binary and exports", () => {
      const loader = tree.read(`${ROOT}/native/index.js`, 'utf-8') ?? '';
      expect(loader).toContain("require('./coin-demo.linux-x64-gnu.node')");
      expect(loader).not.toContain('coin-bitcoin');
      expect(loader.endsWith('module.exports.hash = nativeBinding.hash\nmodule.exports.scan = nativeBinding.scan\n')).toBe(true);
      expect(loader).not.toContain('nativeBinding.sha256d');
    });

    it('binds the plugin class, with the coin id, algorithm and dialect', () => {
      const plugin = tree.read(`${ROOT}/src/plugin/demo-coin-plugin.ts`, 'utf-8') ?? '';
      expect(plugin).toContain('export class DemoCoinPlugin implements CoinPlugin');
      expect(plugin).toContain("readonly id = 'demo';");
      expect(plugin).toContain("readonly algorithm = 'sha256x';");
      expect(plugin).toContain("readonly dialects: readonly string[] = ['bitcoin'];");
      expect(tree.read(`${ROOT}/src/plugin/demo-plugin-module.ts`, 'utf-8')).toContain('options.bind(COIN_PLUGIN).to(DemoCoinPlugin).inSingletonScope();');
      expect(tree.read(`${ROOT}/src/index.ts`, 'utf-8')).toContain('export const lodeCoinPlugin = { apiVersion: LODE_PLUGIN_API_VERSION, module: demoPluginModule };');
    });

    it("copies coin-bitcoin's sources with a note saying so", () => {
      const header = tree.read(`${ROOT}/src/header/build-header.ts`, 'utf-8') ?? '';
      const original = tree.read('plugins/coin-bitcoin/src/header/build-header.ts', 'utf-8') ?? '';
      expect(header).toBe(`/* Copied from plugins/coin-bitcoin/src/header/build-header.ts by @lode/generators:coin-plugin: change what Demo does differently. */\n${original}`);
    });

    it('uses placeholder vectors that say they must be replaced', () => {
      const spec = tree.read(`${ROOT}/src/demo.conformance.spec.ts`, 'utf-8') ?? '';
      expect(spec).toContain("import { describePluginConformance } from '@lode/plugin-api/conformance';");
      expect(spec).toContain("packageName: '@lode/coin-demo'");
      expect(spec).toContain('replace with a real vector');
    });

    it('adds the root tsconfig reference; the Cargo members glob already covers the crate', () => {
      expect(readJson(tree, 'tsconfig.json').references).toEqual([{ path: './plugins/coin-bitcoin' }, { path: './plugins/coin-demo' }]);
      expect(tree.read('Cargo.toml', 'utf-8')).toBe('[workspace]\nresolver = "2"\nmembers = ["plugins/*/native"]\n');
    });
  });

  it('adds the crate to Cargo members that do not cover it', async () => {
    tree = workspaceTree('["plugins/coin-bitcoin/native"]');
    await coinPluginGenerator(tree, { name: 'demo', algorithm: 'sha256x', dialect: 'bitcoin' });
    expect(tree.read('Cargo.toml', 'utf-8')).toContain('members = ["plugins/coin-bitcoin/native", "plugins/coin-demo/native"]');
  });

  it.each(['ethstratum', 'warthog'] as const)('dialect %s: stubs that throw what to write, no Bitcoin sources', async (dialect) => {
    await coinPluginGenerator(tree, { name: 'my-coin', algorithm: 'kawpow', dialect, displayName: 'My Coin' });
    const root = 'plugins/coin-my-coin';
    const pkg = readJson(tree, `${root}/package.json`);
    expect(pkg.lode).toEqual({ kind: 'coin-plugin', apiVersion: 1, coins: ['my-coin'] });
    expect(pkg.dependencies['bitcoinjs-lib']).toBeUndefined();
    expect(tree.exists(`${root}/src/coinbase/build-coinbase.ts`)).toBe(false);
    expect(tree.read(`${root}/src/header/my-coin-header.ts`, 'utf-8')).toContain(
      "'my-coin: the header builder is not written yet: build the header from the job",
    );
    expect(tree.read(`${root}/src/difficulty/my-coin-target.ts`, 'utf-8')).toContain(
      "'my-coin: diff1Target is not written yet: return the target of stratum difficulty 1 from myCoinDiff1Target in plugins/coin-my-coin/src/difficulty/my-coin-target.ts",
    );
    expect(tree.read(`${root}/src/node/my-coin-node.ts`, 'utf-8')).toContain('my-coin: the node client is not written yet: write the node client');
    const plugin = tree.read(`${root}/src/plugin/my-coin-coin-plugin.ts`, 'utf-8') ?? '';
    expect(plugin).toContain('export class MyCoinCoinPlugin implements CoinPlugin');
    expect(plugin).toContain(`readonly dialects: readonly string[] = ['${dialect}'];`);
    expect(plugin).toContain("readonly name = 'My Coin';");
  });

  describe('refuses', () => {
    it.each([
      ['Demo', /the coin id 'Demo' has upper-case letters: coin ids are lower case \(e\.g\. 'demo'\)/],
      ['my coin', /the coin id 'my coin' contains spaces/],
      ['9lives', /the coin id '9lives' is not valid: use lower-case letters, digits and single hyphens, starting with a letter/],
      ['a--b', /the coin id 'a--b' is not valid/],
      ['bitcoin', /plugins\/coin-bitcoin already exists: choose another coin id/],
      ['btc', /the coin id 'btc' is already declared by @lode\/coin-bitcoin \(plugins\/coin-bitcoin\/package\.json "lode\.coins"\)/],
    ])('the coin id %j', async (name, message) => {
      await expect(coinPluginGenerator(tree, { name, algorithm: 'sha256x', dialect: 'bitcoin' })).rejects.toThrow(message);
      expect(tree.exists(`plugins/coin-${name}`)).toBe(name === 'bitcoin');
    });

    it('an unknown dialect', async () => {
      await expect(coinPluginGenerator(tree, { name: 'demo', algorithm: 'x', dialect: 'stratum2' as never })).rejects.toThrow(
        "--dialect is 'stratum2', expected one of bitcoin, ethstratum, warthog",
      );
    });

    it('an algorithm that cannot go into the sources', async () => {
      await expect(coinPluginGenerator(tree, { name: 'demo', algorithm: "sha'256", dialect: 'bitcoin' })).rejects.toThrow("--algorithm is 'sha'256'");
    });
  });
});
