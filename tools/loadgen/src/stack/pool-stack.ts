import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A regtest P2WPKH payout address (tools/e2e/src/support/paths.ts DEVNET_PAYOUT_ADDRESS). */
const PAYOUT_ADDRESS = 'bcrt1qxessftmcyqpht9j9p6stxns0w3p9qlp9p4r05l';

/** Options of startPoolStack. */
export interface PoolStackOptions {
  /** fixed share difficulty of the pool port (default 1e-7: about 430 hashes per share) */
  difficulty?: number;
  /**
   * constant compact target of the devnet's blocks (default "1f050000": about
   * 13,107 hashes per block, so about one valid share in 30 at difficulty
   * 1e-7 is a block and clean-jobs notifies come every second or so)
   */
  nbits?: string;
  /** ms each process may take to start listening (default 30000) */
  startTimeoutMs?: number;
  /** the repository root holding the built apps (default: found from this file) */
  repoRoot?: string;
}

/** A devnet and a pool on loopback, as child processes. */
export interface PoolStack {
  /** the pool's stratum URL, stratum+tcp://127.0.0.1:<port> */
  url: string;
  /** the last output lines of a process, for error messages */
  tail(name: 'devnet' | 'pool'): string;
  /** stops both (SIGTERM, SIGKILL after 3 s) and removes the temporary directory */
  stop(): Promise<void>;
}

interface Child {
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  tail(): string;
  stop(): Promise<void>;
  kill(): void;
}

function startChild(name: string, script: string, args: string[], dir: string): Child {
  if (!existsSync(script)) throw new Error(`${script} is missing: build it first (npm run build)`);
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  let proc: ChildProcess;
  try {
    proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exited = false;
  const exit = new Promise<void>((done) => {
    proc.once('exit', () => ((exited = true), done()));
    proc.once('error', () => ((exited = true), done()));
  });
  const read = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const tail = (): string => read().split('\n').slice(-20).join('\n');
  return {
    tail,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const line = read()
          .split('\n')
          .find((l) => pattern.test(l));
        if (line !== undefined) return line;
        if (exited) throw new Error(`${name} exited before printing ${pattern}; its last lines:\n${tail()}`);
        if (Date.now() > deadline) throw new Error(`${name} did not print ${pattern} within ${timeoutMs} ms; its last lines:\n${tail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(timer);
    },
    kill() {
      if (!exited) proc.kill('SIGKILL');
    },
  };
}

/**
 * Starts the Bitcoin devnet (tools/devnet/dist/main.js) and a Lode pool
 * (apps/pool/dist/main.js) with one port at a fixed, low share difficulty,
 * as child processes on loopback; for the load generator's end-to-end spec
 * and for trying it by hand. Both must be built (`npm run build`).
 *
 * @throws Error when an app is not built or a process does not start in time (both are stopped first)
 */
export async function startPoolStack(options: PoolStackOptions = {}): Promise<PoolStack> {
  const root = options.repoRoot ?? resolve(__dirname, '../../../..');
  const timeout = options.startTimeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'lode-loadgen-'));
  const children: Child[] = [];
  const killAll = (): void => children.forEach((c) => c.kill());
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    for (const child of [...children].reverse()) await child.stop();
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const devnet = startChild(
      'devnet',
      join(root, 'tools/devnet/dist/main.js'),
      ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode', '--nbits', options.nbits ?? '1f050000', '--mempool-refresh-seconds', '0'],
      dir,
    );
    children.push(devnet);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, timeout);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);
    const config = join(dir, 'pool.json');
    writeFileSync(
      config,
      JSON.stringify({
        plugins: ['@lode/coin-bitcoin'],
        log: { level: 'info', format: 'json', shares: false, statsIntervalSeconds: 0 },
        coins: {
          btc: {
            node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
            payoutAddress: PAYOUT_ADDRESS,
            network: 'regtest',
            coinbaseTag: '/Lode loadgen/',
          },
        },
        ports: [{ name: 'load', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: options.difficulty ?? 1e-7 } }],
        shutdownGraceSeconds: 1,
      }),
    );
    const pool = startChild('pool', join(root, 'apps/pool/dist/main.js'), ['--config', config, '--json'], dir);
    children.push(pool);
    const line = await pool.waitFor(/pool listening/, timeout);
    const url = (JSON.parse(line) as { url?: string }).url;
    if (url === undefined) throw new Error(`no url in the pool's line ${line}`);
    return { url, tail: (name) => (name === 'devnet' ? devnet : pool).tail(), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
