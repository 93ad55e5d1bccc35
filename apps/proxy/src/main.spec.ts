import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { targetFromDifficulty } from '@lode/mining';
import { bitcoinPlugin } from './testing/bitcoin-plugin';
import { eventually } from './testing/eventually';
import { FakeBitcoinPool } from './testing/fake-bitcoin-pool';
import { TestMiner } from './testing/test-miner';

/*
 * The lode-proxy command as a real process (its TypeScript source through
 * @swc-node/register, workspace packages through the "@lode/source"
 * condition): it reads a JSON config, logs JSON lines with --json, proxies a
 * miner to a fake pool, and stops gracefully on SIGTERM.
 */
const appDir = resolve(__dirname, '..');
const plugin = bitcoinPlugin();

describe('lode-proxy (main.ts)', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  let pool: FakeBitcoinPool | undefined;
  let miner: TestMiner | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lode-proxy-'));
  });

  afterEach(async () => {
    miner?.close();
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    await pool?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when started with a config', () => {
    it('proxies a miner, logs JSON lines and stops on SIGTERM with exit code 0', async () => {
      pool = await FakeBitcoinPool.start({ plugin, extranonce2Size: 8, difficulty: 2 ** -16 });
      const config = join(dir, 'proxy.json');
      writeFileSync(
        config,
        JSON.stringify({
          plugins: ['@lode/coin-bitcoin'],
          log: { statsIntervalSeconds: 0 },
          upstreams: [{ name: 'primary', url: pool.url, user: 'proxy.main', coin: 'btc' }],
          ports: [{ host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: 2 ** -20 } }],
          connectTimeoutSeconds: 5,
        }),
      );
      const lines: Record<string, unknown>[] = [];
      child = spawn(process.execPath, ['--conditions=@lode/source', '-r', '@swc-node/register', 'src/main.ts', '--config', config, '--json'], {
        cwd: appDir,
        env: { ...process.env, SWC_NODE_PROJECT: resolve(appDir, 'tsconfig.lib.json') },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let buffer = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        buffer += chunk;
        for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
          lines.push(JSON.parse(buffer.slice(0, i)) as Record<string, unknown>);
          buffer = buffer.slice(i + 1);
        }
      });
      const exited = new Promise<number | null>((done) => child?.on('exit', (code) => done(code)));

      await eventually(() => lines.some((l) => l['msg'] === 'proxy listening'), 'the proxy listening line', 60_000);
      const listening = lines.find((l) => l['msg'] === 'proxy listening') as Record<string, unknown>;
      expect(listening).toMatchObject({ name: 'proxy', level: 30, coin: 'btc', dialect: 'bitcoin', upstreams: ['primary'] });
      expect(lines.map((l) => l['msg'])).toContain('upstream connected');

      miner = await TestMiner.connect(String(listening['url']), { plugin, user: 'farm.a' });
      await miner.until(() => miner !== undefined && miner.jobs.length > 0, 'the first job');
      const upstreamTarget = targetFromDifficulty(2 ** -16, plugin.diff1Target);
      const worthy = (await miner.mine(400, (found) => found.some((s) => s.hashValue <= upstreamTarget))).filter((s) => s.hashValue <= upstreamTarget);
      await eventually(() => (pool?.shares.length ?? 0) >= worthy.length, 'the forwarded shares');
      expect(pool.shares.every((s) => s.accepted && s.worker === 'proxy.main')).toBe(true);
      await eventually(() => lines.some((l) => l['msg'] === 'miner subscribed'), 'the miner subscribed line');

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.map((l) => l['msg'])).toEqual(expect.arrayContaining(['share accepted', 'stopping: no new connections', 'proxy stopped']));
    }, 90_000);
  });

  describe('when the config is invalid', () => {
    it('exits with code 2 naming the problem', async () => {
      const config = join(dir, 'proxy.json');
      writeFileSync(config, JSON.stringify({ upstreams: [], ports: [] }));
      let stderr = '';
      child = spawn(process.execPath, ['--conditions=@lode/source', '-r', '@swc-node/register', 'src/main.ts', '--config', config], {
        cwd: appDir,
        env: { ...process.env, SWC_NODE_PROJECT: resolve(appDir, 'tsconfig.lib.json') },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => (stderr += chunk));
      const code = await new Promise<number | null>((done) => child?.on('exit', (c) => done(c)));
      expect(code).toBe(2);
      expect(stderr).toContain('lode-proxy: config error:');
      expect(stderr).toContain('/upstreams: must NOT have fewer than 1 items');
    }, 60_000);
  });
});
