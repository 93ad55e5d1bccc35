#!/usr/bin/env node
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';

/**
 * `npm start`: the main job on this machine alone (DESIGN.md "The embedded
 * default"). Starts the devnet node, the pool on loopback pointed at it, and
 * one miner, as three real processes, and prints their lines prefixed with
 * their names until Ctrl-C. Only the chain is simulated: the pool and miner
 * run their production code paths.
 */
const program = new Command()
  .name('lode-demo')
  .description('Runs a devnet node, the Lode pool and a Lode miner on loopback.')
  .option('--pool-port <port>', 'stratum port of the pool', '3333')
  .option('--rpc-port <port>', 'JSON-RPC port of the devnet node', '18443')
  .option('--api-port <port>', 'read API and dashboard (http://127.0.0.1:<port>/dashboard/); 0 turns it off', '8080')
  .option('--threads <n>', 'miner threads', '1')
  .option('--nbits <hex>', 'devnet block target (compact); the default needs about 2^27 hashes a block')
  .option('--quiet-shares', 'do not print a pool line per share')
  .parse();
const opts = program.opts<{ poolPort: string; apiPort: string; rpcPort: string; threads: string; nbits?: string; quietShares?: boolean }>();

const repo = resolve(__dirname, '../../../..');
const entry = {
  devnet: join(repo, 'tools/devnet/dist/main.js'),
  pool: join(repo, 'apps/pool/dist/main.js'),
  miner: join(repo, 'apps/miner/dist/main.js'),
};
const dir = join(tmpdir(), 'lode-demo');
mkdirSync(dir, { recursive: true });
const rpcPassword = randomBytes(12).toString('hex');

const children: ChildProcess[] = [];
let stopping = false;

/** A started child: its process, and a way to wait for one of its lines. */
interface Started {
  child: ChildProcess;
  waitForLine(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
}

function start(name: string, script: string, args: string[]): Started {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const tag = `[${name}]`.padEnd(9);
  const waiters = new Set<(line: string) => void>();
  // One reader per stream, never paused: a child blocked on a full pipe would stall.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      process.stdout.write(`${tag}${line}\n`);
      for (const w of waiters) w(line);
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${tag}exited unexpectedly (code ${code}, signal ${signal}); stopping the demo\n`);
      void stop(1);
    }
  });
  return {
    child,
    waitForLine(pattern, what, timeoutMs = 60000) {
      return new Promise((resolveLine, reject) => {
        const waiter = (line: string) => {
          if (!pattern.test(line)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolveLine(line);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no "${what}" from ${name} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(kill);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const devnetArgs = ['--host', '127.0.0.1', '--port', opts.rpcPort, '--rpcuser', 'lode', '--rpcpassword', rpcPassword];
  if (opts.nbits) devnetArgs.push('--nbits', opts.nbits);
  const devnet = start('devnet', entry.devnet, devnetArgs);
  await devnet.waitForLine(/devnet: listening on/, 'devnet: listening');

  const configFile = join(dir, 'pool.json');
  writeFileSync(
    configFile,
    JSON.stringify(
      {
        plugins: ['@lode/coin-bitcoin'],
        log: { level: 'info', format: 'pretty', shares: !opts.quietShares, statsIntervalSeconds: 10 },
        coins: {
          btc: {
            node: { url: `http://127.0.0.1:${opts.rpcPort}`, user: 'lode', password: rpcPassword, pollIntervalMs: 1000 },
            // regtest P2WPKH, hash160 = first 20 bytes of sha256("lode devnet payout")
            payoutAddress: 'bcrt1qxessftmcyqpht9j9p6stxns0w3p9qlp9p4r05l',
            network: 'regtest',
            coinbaseTag: '/Lode demo/',
          },
        },
        ports: [
          {
            name: 'main',
            host: '127.0.0.1',
            port: Number(opts.poolPort),
            coin: 'btc',
            difficulty: { initial: 0.001, vardiff: { targetShareSeconds: 3, retargetSeconds: 30, variancePercent: 30, min: 0.00001, max: 1e6 } },
          },
        ],
        shutdownGraceSeconds: 3,
        // the dashboard samples the pool's hashrate every 10 s so its chart fills within a minute
        ...(Number(opts.apiPort) === 0 ? {} : { api: { host: '127.0.0.1', port: Number(opts.apiPort), historyIntervalSeconds: 10 } }),
      },
      null,
      2,
    ),
  );
  const pool = start('pool', entry.pool, ['--config', configFile]);
  await pool.waitForLine(/pool listening/, 'pool listening');

  start('miner', entry.miner, ['--url', `stratum+tcp://127.0.0.1:${opts.poolPort}`, '--user', 'demo.rig1', '--threads', opts.threads, '--stats-interval', '10']);
  process.stdout.write(`[demo]   pool config: ${configFile}; Ctrl-C stops all three\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`lode-demo: ${(e as Error).message}\n`);
  void stop(1);
});
