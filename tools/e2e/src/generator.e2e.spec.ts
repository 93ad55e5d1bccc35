import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/*
 * The coin-plugin generator end to end: in a copy of the workspace, generate
 * a bitcoin-dialect coin "demo", build its native addon and its TypeScript,
 * lint it, and run its conformance spec, which must fail with the native
 * stub's "hash is not written yet" message (the generated plugin never hashes
 * with made-up code).
 */

const ROOT = resolve(__dirname, '../../..');
const COIN = 'demo';
const PLUGIN = `plugins/coin-${COIN}`;
/** What the copy needs: the generator, the packages the plugin builds on, the template plugin, root configs. */
const COPIED = [
  'package.json',
  'nx.json',
  'tsconfig.base.json',
  'tsconfig.json',
  'jest.preset.js',
  'eslint.config.mjs',
  'Cargo.toml',
  'Cargo.lock',
  'packages/plugin-api',
  'packages/mining',
  'packages/stratum-core',
  'plugins/coin-bitcoin',
  'tools/generators',
];
/** Never copied: installs, build outputs (but the packages' dist, so that tsc -b finds them up to date), caches, native binaries. */
function copied(source: string): boolean {
  const rel = relative(ROOT, source);
  if (/^target(\/|$)|(^|\/)(node_modules|out-tsc|\.nx)(\/|$)|\.node$/.test(rel)) return false;
  if (/(^|\/)dist(\/|$)/.test(rel)) return /^packages\/[^/]+\/dist(\/|$)/.test(rel);
  return true;
}

/**
 * A copy of the workspace's sources in a temp dir. Its node_modules is a
 * directory of links to the real packages, except @lode/*, whose relative
 * links then point into the copy, plus the links `npm install` would add for
 * the generator and the new plugin.
 */
function copyWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lode-generator-'));
  for (const entry of COPIED) {
    cpSync(join(ROOT, entry), join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      filter: copied,
    });
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@lode'), { recursive: true });
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== '@lode') symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  for (const name of readdirSync(join(ROOT, 'node_modules/@lode'))) {
    symlinkSync(readlinkSync(join(ROOT, 'node_modules/@lode', name)), join(modules, '@lode', name));
  }
  for (const [name, target] of [['generators', '../../tools/generators'], [`coin-${COIN}`, `../../${PLUGIN}`]]) {
    if (!existsSync(join(modules, '@lode', name))) symlinkSync(target, join(modules, '@lode', name));
  }
  return dir;
}

/** Runs a Node CLI of the real node_modules in `cwd`; never throws. */
function run(cwd: string, script: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 120000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules', script), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...env },
  });
}

function output(result: SpawnSyncReturns<string>): string {
  return `exit ${result.status}${result.signal ? ` (${result.signal})` : ''}\n${result.stdout}\n${result.stderr}`;
}

describe('nx g @lode/generators:coin-plugin, in a copy of the workspace', () => {
  let ws: string;

  beforeAll(() => {
    ws = copyWorkspace();
  });

  afterAll(() => {
    if (ws !== undefined && process.env['LODE_KEEP_COPY'] === undefined) rmSync(ws, { recursive: true, force: true });
  });

  it('generates plugins/coin-demo with the coin-plugin marker', () => {
    const generated = run(ws, 'nx/dist/bin/nx.js', ['g', '@lode/generators:coin-plugin', COIN, '--algorithm', 'sha256x', '--dialect', 'bitcoin', '--no-interactive']);
    expect(output(generated)).toMatch(/^exit 0/);
    const pkg = JSON.parse(readFileSync(join(ws, PLUGIN, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg['name']).toBe('@lode/coin-demo');
    expect(pkg['lode']).toEqual({ kind: 'coin-plugin', apiVersion: 1, coins: ['demo'] });
    expect((pkg['nx'] as { tags: string[] }).tags).toEqual(['type:coin-plugin']);
  }, 60000);

  it('builds its native addon, and napi writes the same loader and typings the generator wrote', () => {
    const loader = readFileSync(join(ws, PLUGIN, 'native/index.js'), 'utf8');
    const typings = readFileSync(join(ws, PLUGIN, 'native/index.d.ts'), 'utf8');
    // the build-native target's command (no --locked: the new crate adds its Cargo.lock entry),
    // napi's dependencies reused from the real workspace's target dir
    const built = run(
      join(ws, PLUGIN),
      '@napi-rs/cli/dist/cli.js',
      ['build', '--platform', '--profile', 'ci', '--manifest-path', 'native/Cargo.toml', '--package-json-path', 'package.json', '--output-dir', 'native'],
      { CARGO_TARGET_DIR: join(ROOT, 'target') },
      150000,
    );
    expect(output(built)).toMatch(/^exit 0/);
    expect(readdirSync(join(ws, PLUGIN, 'native')).filter((f) => f.endsWith('.node'))).toEqual(['coin-demo.linux-x64-gnu.node']);
    expect(readFileSync(join(ws, PLUGIN, 'native/index.js'), 'utf8')).toBe(loader);
    expect(readFileSync(join(ws, PLUGIN, 'native/index.d.ts'), 'utf8')).toBe(typings);
  }, 160000);

  it('type-checks (tsc -b) and lints clean', () => {
    const tsc = run(ws, 'typescript/bin/tsc', ['-b', `${PLUGIN}/tsconfig.json`]);
    expect(output(tsc)).toBe('exit 0\n\n');
    const lint = run(ws, 'eslint/bin/eslint.js', [`${PLUGIN}/src`]);
    expect(output(lint)).toMatch(/^exit 0/);
  }, 120000);

  it('its conformance spec fails with the native stub\'s "hash is not written yet"', () => {
    const jest = run(ws, 'jest/bin/jest.js', ['-c', `${PLUGIN}/jest.config.cjs`, '--ci']);
    expect(jest.status).toBe(1);
    expect(jest.stderr).toContain('demo: hash is not written yet: implement the sha256x hash in plugins/coin-demo/native/src/lib.rs');
  }, 120000);
});
