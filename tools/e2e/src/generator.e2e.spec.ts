import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildNativeInCopy, copyWorkspace, output, runNodeCli as run } from './support/workspace-copy';

/*
 * The coin-plugin generator end to end: in a copy of the workspace, generate
 * a bitcoin-dialect coin "demo", build its native addon and its TypeScript,
 * lint it, and run its conformance spec, which must fail with the native
 * stub's "hash is not written yet" message (the generated plugin never hashes
 * with made-up code).
 */

const COIN = 'demo';
const PLUGIN = `plugins/coin-${COIN}`;

describe('nx g @lode/generators:coin-plugin, in a copy of the workspace', () => {
  let ws: string;

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lode-generator-', links: { [`coin-${COIN}`]: PLUGIN } });
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
    // the build-native target's command, napi's dependencies reused from the real workspace's target dir
    const built = buildNativeInCopy(join(ws, PLUGIN));
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
