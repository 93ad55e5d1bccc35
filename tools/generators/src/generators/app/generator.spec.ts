import { readJson, type Tree } from '@nx/devkit';
import { workspaceTree } from '../../testing/workspace-tree';
import { appGenerator } from './generator';

describe('app generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = workspaceTree();
  });

  it('a pool starting @lode/pool with the chosen plugins, found by coin id, directory or package name', async () => {
    await appGenerator(tree, { name: 'my-pool', kind: 'pool', plugins: 'btc, coin-ethereum,@lode/coin-warthog' });
    const pkg = readJson(tree, 'apps/my-pool/package.json');
    expect(pkg.name).toBe('@lode/my-pool');
    expect(pkg.bin).toEqual({ 'my-pool': 'dist/main.js' });
    expect(pkg.dependencies).toEqual({
      '@lode/pool': '*',
      '@lode/stratum-core': '*',
      '@lode/coin-bitcoin': '*',
      '@lode/coin-ethereum': '*',
      '@lode/coin-warthog': '*',
      'reflect-metadata': '0.2.2',
    });
    const main = tree.read('apps/my-pool/src/main.ts', 'utf-8') ?? '';
    expect(main).toContain("import { createLogger, loadPoolConfig, startPool } from '@lode/pool';");
    expect(main).toContain('const PLUGINS: readonly string[] = ["@lode/coin-bitcoin","@lode/coin-ethereum","@lode/coin-warthog"];');
    expect(main).toContain('await startPool(config, logger, APP_DIR)');
    expect(main).not.toContain('coin-bitcoin\'');
    expect(readJson(tree, 'apps/my-pool/tsconfig.lib.json').references).toEqual([
      { path: '../../apps/pool/tsconfig.lib.json' },
      { path: '../../packages/stratum-core/tsconfig.lib.json' },
    ]);
  });

  it('a proxy and a miner', async () => {
    await appGenerator(tree, { name: 'edge', kind: 'proxy', plugins: 'btc' });
    expect(tree.read('apps/edge/src/main.ts', 'utf-8')).toContain("import { createLogger, loadProxyConfig, startProxy } from '@lode/proxy';");
    await appGenerator(tree, { name: 'rig', kind: 'miner', plugins: 'btc' });
    const main = tree.read('apps/rig/src/main.ts', 'utf-8') ?? '';
    expect(main).toContain("import { runMinerCli } from '@lode/miner';");
    expect(main).toContain("[...process.argv, '--plugins', PLUGINS.join(',')]");
    expect(readJson(tree, 'apps/rig/package.json').dependencies['@lode/miner']).toBe('*');
  });

  it('refuses an unknown plugin, listing the known ones', async () => {
    await expect(appGenerator(tree, { name: 'x', kind: 'pool', plugins: 'doge' })).rejects.toThrow(
      "app: 'doge' is not a coin plugin of this workspace; the coin plugins are: @lode/coin-bitcoin (btc)",
    );
  });

  it('refuses an existing app and a bad name', async () => {
    tree.write('apps/pool/README.md', '');
    await expect(appGenerator(tree, { name: 'pool', kind: 'pool', plugins: 'btc' })).rejects.toThrow('app: apps/pool already exists');
    await expect(appGenerator(tree, { name: 'My Pool', kind: 'pool', plugins: 'btc' })).rejects.toThrow("app: the name 'My Pool' is not valid");
  });
});
