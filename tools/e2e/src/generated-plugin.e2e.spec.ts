import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEVNET_PAYOUT_ADDRESS, entryPoints } from './support/paths';
import { listeningPorts } from './support/pool-config';
import { spawnLogged, type LoggedProcess } from './support/spawn-logged';
import { demoConformanceSpec } from './support/sha256-demo/demo-conformance';
import { buildNativeInCopy, copyWorkspace, output, runNodeCli as run } from './support/workspace-copy';

/*
 * A generated coin plugin, finished the way its author would, mined end to
 * end: in a copy of the workspace, `nx g @lode/generators:coin-plugin demo
 * --algorithm sha256 --dialect bitcoin`; then the author's part only:
 * native/src/lib.rs gets `hash` = one SHA-256 of the 80-byte header and a
 * `scan` over the header's nonce (support/sha256-demo/lib.rs, with the sha2
 * crate), and the conformance spec's placeholders become real vectors
 * (support/sha256-demo/demo-conformance.ts). Built, its conformance spec
 * passes; then the real pool and miner (apps/pool, apps/miner dist) find
 * `@lode/coin-demo` through their ordinary discovery (Node resolution, here
 * through NODE_PATH, so that nothing in the real workspace is touched),
 * against a devnet that checks blocks with its own single SHA-256
 * (`lode-devnet --pow sha256`).
 */

const COIN = 'demo';
const PACKAGE = `@lode/coin-${COIN}`;
const PLUGIN = `plugins/coin-${COIN}`;
/** 0xffff * 2^216: about 2^24 single SHA-256 hashes a block, a few seconds for one scan thread. */
const NBITS = '1e00ffff';

describe('a generated coin plugin filled with single SHA-256, mined end to end', () => {
  let ws: string | undefined;
  let dir: string | undefined;
  const running: LoggedProcess[] = [];

  beforeAll(() => {
    ws = copyWorkspace({ prefix: 'lode-generated-plugin-', links: { [`coin-${COIN}`]: PLUGIN } });
    dir = mkdtempSync(join(tmpdir(), 'lode-generated-plugin-run-'));
  });

  afterAll(async () => {
    await Promise.all(running.reverse().map((p) => p.stop()));
    if (process.env['LODE_KEEP_COPY'] === undefined) {
      for (const d of [ws, dir]) if (d !== undefined) rmSync(d, { recursive: true, force: true });
    }
  });

  const copy = (): string => ws as string;

  it('generates plugins/coin-demo (dialect bitcoin, algorithm sha256)', () => {
    const generated = run(copy(), 'nx/dist/bin/nx.js', ['g', '@lode/generators:coin-plugin', COIN, '--algorithm', 'sha256', '--dialect', 'bitcoin', '--no-interactive']);
    expect(output(generated)).toMatch(/^exit 0/);
    expect(readFileSync(join(copy(), PLUGIN, 'native/src/lib.rs'), 'utf8')).toContain('hash is not written yet');
  }, 60000);

  it("takes the author's hash, scan and vectors, and builds (native addon, TypeScript) and lints clean", () => {
    const plugin = join(copy(), PLUGIN);
    writeFileSync(join(plugin, 'native/src/lib.rs'), readFileSync(join(__dirname, 'support/sha256-demo/lib.rs'), 'utf8'));
    const cargoToml = join(plugin, 'native/Cargo.toml');
    const manifest = readFileSync(cargoToml, 'utf8');
    expect(manifest).toContain('napi-derive = { workspace = true }\n');
    // the version Cargo.lock already has (0.10.9), so the build needs no new crate
    writeFileSync(cargoToml, manifest.replace('napi-derive = { workspace = true }\n', 'napi-derive = { workspace = true }\nsha2 = "0.10"\n'));
    writeFileSync(join(plugin, `src/${COIN}.conformance.spec.ts`), demoConformanceSpec());

    const built = buildNativeInCopy(plugin);
    expect(output(built)).toMatch(/^exit 0/);
    const tsc = run(copy(), 'typescript/bin/tsc', ['-b', `${PLUGIN}/tsconfig.json`]);
    expect(output(tsc)).toBe('exit 0\n\n');
    const lint = run(copy(), 'eslint/bin/eslint.js', [`${PLUGIN}/src`]);
    expect(output(lint)).toMatch(/^exit 0/);
  }, 200000);

  it('passes its conformance spec (discovery, hash and header vectors, scan, difficulty)', () => {
    const jest = run(copy(), 'jest/bin/jest.js', ['-c', `${PLUGIN}/jest.config.cjs`, '--ci']);
    expect(output(jest)).toMatch(/^exit 0/);
    // ANSI codes stripped as well, should a colour setting get through.
    // eslint-disable-next-line no-control-regex -- ESC starts an ANSI colour code
    expect(jest.stderr.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests: +9 passed, 9 total/);
  }, 120000);

  it('is discovered by the pool and mined by the miner: accepted shares, and blocks the sha256 devnet accepts', async () => {
    const runDir = dir as string;
    // what `npm install` would give an app that depends on the plugin: @lode/coin-demo resolvable from it
    const modulePath = join(runDir, 'node_path');
    mkdirSync(join(modulePath, '@lode'), { recursive: true });
    symlinkSync(join(copy(), PLUGIN), join(modulePath, PACKAGE));
    const env = { NODE_PATH: modulePath };

    const devnet = spawnLogged('devnet', entryPoints.devnet, [
      '--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode',
      '--pow', 'sha256', '--nbits', NBITS, '--mempool-refresh-seconds', '0',
    ]);
    running.push(devnet);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30000);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const configFile = join(runDir, 'pool.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        plugins: [PACKAGE],
        log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 5 },
        coins: {
          [COIN]: {
            node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
            payoutAddress: DEVNET_PAYOUT_ADDRESS,
            network: 'regtest',
            coinbaseTag: '/Lode demo/',
          },
        },
        ports: [
          {
            name: 'main',
            host: '127.0.0.1',
            port: 0,
            coin: COIN,
            difficulty: { initial: 0.0001, vardiff: { targetShareSeconds: 1, retargetSeconds: 10, variancePercent: 30, min: 0.00001, max: 1e6 } },
          },
        ],
        shutdownGraceSeconds: 2,
      }),
    );
    const pool = spawnLogged('pool', entryPoints.pool, ['--config', configFile, '--json'], env);
    running.push(pool);
    const loaded = await pool.waitFor(/"msg":"coin plugin loaded"/, 60000);
    expect(JSON.parse(loaded)).toMatchObject({ plugin: PACKAGE, coins: [COIN] });
    await pool.waitFor(/"msg":"pool listening"/, 30000);
    const port = listeningPorts(pool.lines)['main'];

    const miner = spawnLogged(
      'miner',
      entryPoints.miner,
      ['--url', `stratum+tcp://127.0.0.1:${port}`, '--user', 'e2e.demo', '--coin', COIN, '--plugins', PACKAGE, '--threads', '1', '--stats-interval', '5'],
      env,
    );
    running.push(miner);

    await miner.waitFor(/share accepted/, 60000);
    await pool.waitFor(/"msg":"share accepted"/, 10000);
    // the devnet judges the block with its own node:crypto SHA-256, not the plugin's
    await devnet.waitFor(/devnet: block \d+ accepted [0-9a-f]{64} by coinbase tag \/Lode demo\//, 90000);
    await pool.waitFor(/block found at height \d+ hash [0-9a-f]{64} accepted by node/, 10000);
    // the pool's PoW (the plugin's Rust) and the devnet's agree: no block it sent missed the target
    expect(devnet.count(/block rejected: high-hash/)).toBe(0);
  }, 180000);
});
