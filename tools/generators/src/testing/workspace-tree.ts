import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';

/** The real workspace root (tools/generators/src/testing -> ../../../..). */
export const WORKSPACE_ROOT = resolve(__dirname, '../../../..');

function copyInto(tree: Tree, path: string): void {
  const full = join(WORKSPACE_ROOT, path);
  if (statSync(full).isDirectory()) {
    for (const child of readdirSync(full)) copyInto(tree, join(path, child));
    return;
  }
  tree.write(relative('.', path), readFileSync(full));
}

/**
 * An empty Nx workspace tree holding what the generators read from the real
 * one: plugin-api's LODE_PLUGIN_API_VERSION, the three coin plugins'
 * package.json, the Bitcoin plugin's sources and native loader, the apps'
 * package.json, and a root Cargo.toml with the given `members`.
 */
export function workspaceTree(cargoMembers = '["plugins/*/native"]'): Tree {
  const tree = createTreeWithEmptyWorkspace();
  copyInto(tree, 'packages/plugin-api/src/coin-plugin.ts');
  for (const plugin of ['coin-bitcoin', 'coin-ethereum', 'coin-warthog']) copyInto(tree, `plugins/${plugin}/package.json`);
  copyInto(tree, 'plugins/coin-bitcoin/src');
  copyInto(tree, 'plugins/coin-bitcoin/native/index.js');
  for (const app of ['pool', 'proxy', 'miner']) copyInto(tree, `apps/${app}/package.json`);
  tree.write('Cargo.toml', `[workspace]\nresolver = "2"\nmembers = ${cargoMembers}\n`);
  tree.write('tsconfig.json', JSON.stringify({ files: [], references: [{ path: './plugins/coin-bitcoin' }] }));
  return tree;
}
