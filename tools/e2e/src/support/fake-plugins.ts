import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { repoRoot } from './paths';

/**
 * A broken coin plugin package for the discovery e2e: the way one package
 * fails to load (the PluginLoadFailure it must produce).
 */
export type FakePluginFault = 'bad-manifest' | 'api-mismatch' | 'bad-export' | 'native-load-failed';

/** The coin id every fake plugin declares (and the one its pool config mines). */
export const FAKE_COIN = 'xyz';

/** The npm scope of the fake packages: nothing in the workspace uses it. */
export const FAKE_SCOPE = '@lode-test';

/** The package name of the fake plugin with `fault`, e.g. "@lode-test/coin-bad-export". */
export function fakePluginName(fault: FakePluginFault): string {
  return `${FAKE_SCOPE}/coin-${fault}`;
}

const GOOD_MARKER = { kind: 'coin-plugin', apiVersion: 1, coins: [FAKE_COIN] };

/**
 * The entry of the native-load-failed plugin: a correct lodeCoinPlugin whose
 * CoinPlugin loads its napi-rs addon on first use of `hasher` (as the real
 * plugins do), from a `.node` file that was never built, so the require
 * throws exactly what Node throws for a missing addon.
 */
const NATIVE_ENTRY = `'use strict';
const { ContainerModule } = require('inversify');
const COIN_PLUGIN = Symbol.for('lode.CoinPlugin');
const coin = {
  id: '${FAKE_COIN}',
  name: 'Fake',
  algorithm: 'fake',
  dialects: ['bitcoin'],
  diff1Target: 1n << 224n,
  configSchema: { type: 'object' },
  get hasher() {
    return require('./native/coin-native-load-failed.linux-x64-gnu.node');
  },
};
exports.lodeCoinPlugin = {
  apiVersion: 1,
  module: new ContainerModule((options) => {
    options.bind(COIN_PLUGIN).toConstantValue(coin);
  }),
};
`;

/** package.json "lode" marker and entry of each fault. */
const FAULTS: Record<FakePluginFault, { lode: object; entry: string }> = {
  // the marker of a dialect package, not a coin plugin
  'bad-manifest': { lode: { ...GOOD_MARKER, kind: 'dialect' }, entry: "throw new Error('a bad manifest must stop discovery before the entry runs');\n" },
  // written for a plugin API this app does not speak
  'api-mismatch': { lode: { ...GOOD_MARKER, apiVersion: 99 }, entry: "throw new Error('an API mismatch must stop discovery before the entry runs');\n" },
  // a plain object where the ContainerModule belongs
  'bad-export': { lode: GOOD_MARKER, entry: "exports.lodeCoinPlugin = { apiVersion: 1, module: { bind: 'not a ContainerModule' } };\n" },
  'native-load-failed': { lode: GOOD_MARKER, entry: NATIVE_ENTRY },
};

/**
 * Lays out `<dir>/node_modules/@lode-test/coin-<fault>/{package.json,index.js}`
 * for every fault and returns that node_modules directory. The pool resolves
 * plugins from its own package (apps/pool), then from NODE_PATH: start it
 * with {@link nodePathWith} so it finds these packages without any of them
 * being installed in the workspace.
 */
export function writeFakePlugins(dir: string): string {
  const modules = join(dir, 'node_modules');
  for (const [fault, { lode, entry }] of Object.entries(FAULTS) as [FakePluginFault, (typeof FAULTS)[FakePluginFault]][]) {
    const name = fakePluginName(fault);
    const pkgDir = join(modules, name);
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name, version: '0.0.1', main: 'index.js', lode }, null, 2));
    writeFileSync(join(pkgDir, 'index.js'), entry);
  }
  return modules;
}

/**
 * NODE_PATH for a pool that must also resolve the fake plugins: their
 * node_modules, then the workspace's (so that their `require('inversify')`
 * gets the very copy the pool's container uses).
 */
export function nodePathWith(fakeModules: string): string {
  return [fakeModules, join(repoRoot, 'node_modules')].join(delimiter);
}
