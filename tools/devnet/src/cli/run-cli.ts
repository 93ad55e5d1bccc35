import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_DEVNET_NBITS } from '../chain/devnet-chain';
import { targetFromCompact, workFromTarget } from '../chain/compact-target';
import { DEFAULT_DEVNET_PORT, startDevnet } from '../devnet';
import type { Devnet } from '../devnet';
import { formatLogLine } from '../events/log-lines';
import type { DevnetLogEvent } from '../events/log-lines';
import { runEthashCli } from '../ethash/cli/run-ethash-cli';
import { runWarthogCli } from '../warthog/cli/run-warthog-cli';

function parseNbits(value: string): number {
  if (!/^(0x)?[0-9a-fA-F]{8}$/.test(value)) throw new InvalidArgumentError(`nbits "${value}" is not 8 hex digits`);
  return Number.parseInt(value.replace(/^0x/, ''), 16);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`port "${value}" is not an integer in 0..65535`);
  return n;
}

function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number >= 0`);
  return n;
}

function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" is not an integer >= 1`);
  return n;
}

const defaultHashes = workFromTarget(targetFromCompact(DEFAULT_DEVNET_NBITS));

const HELP_AFTER = `
Other chains:
  lode-devnet ethash [options]   an ethash / ETChash chain behind geth's JSON-RPC
                                 (eth_getWork, eth_submitWork); see lode-devnet ethash --help
  lode-devnet warthog [options]  a Warthog chain behind the node's HTTP API
                                 (/chain/mine, /chain/head, /chain/append); see lode-devnet warthog --help

Chain:
  A fixed devnet genesis, then blocks at a constant target from --nbits (no
  retargeting: every block must carry exactly that nbits, else bad-diffbits).
  Expected hashes per block = 2^256 / (target + 1); the default nbits
  ${DEFAULT_DEVNET_NBITS.toString(16)} (target 2^229) needs ${defaultHashes} (about 2^27) hashes,
  a block every ~4.5 s for one core at 30 MH/s. 207fffff needs 2 hashes;
  1e00ffff about 2^24; 1d00ffff (difficulty 1) about 2^32.
  Subsidy 50 BTC halving every 150 blocks (regtest); no reorgs.

Authentication:
  --rpcpassword (with --rpcuser, default "user") requires those credentials;
  otherwise a bitcoind cookie file <datadir>/.cookie is written
  (default datadir ${join(tmpdir(), 'lode-devnet')}), deleted on exit.

Log lines (one per event, stdout; --json prints one JSON object per line):
  devnet: listening on http://127.0.0.1:18443
  devnet: cookie file /tmp/lode-devnet/.cookie
  devnet: block 3 accepted <hash> by coinbase tag /Lode/ (2 txs)
  devnet: block rejected: high-hash (block <hash>)
  devnet: mempool refreshed: 2 txs, longpollid <tip hash><counter>
  devnet: warning: <message>
  devnet: reached --max-blocks 5, stopping
  devnet: stopped
`;

/**
 * Runs the `lode-devnet` command line: parses `argv`, starts the devnet
 * (Bitcoin by default; `lode-devnet ethash …` starts the ethash devnet, see runEthashCli;
 * `lode-devnet warthog …` the Warthog devnet, see runWarthogCli),
 * prints one line per event to `print`, and stops on SIGINT / SIGTERM or
 * after --max-blocks blocks.
 *
 * @param argv process.argv-style arguments (node, script, options…)
 * @param print where log lines go; default console.log
 * @returns resolves with the exit code once the devnet has stopped
 */
export async function runCli(argv: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  if (argv[2] === 'ethash') return runEthashCli(argv.slice(3), print);
  if (argv[2] === 'warthog') return runWarthogCli(argv.slice(3), print);
  const program = new Command('lode-devnet')
    .description("A local Bitcoin chain that speaks bitcoind's JSON-RPC (getblocktemplate, submitblock, ...) for the demo and end-to-end tests.")
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'RPC port (0 = any free port)', parsePort, DEFAULT_DEVNET_PORT)
    .option('--rpcuser <user>', 'RPC user (with --rpcpassword)')
    .option('--rpcpassword <password>', 'RPC password; without it cookie auth is used')
    .option('--datadir <dir>', 'directory of the .cookie file', join(tmpdir(), 'lode-devnet'))
    .addOption(
      new Option('--nbits <hex>', 'constant compact target of every block')
        .argParser(parseNbits)
        .default(DEFAULT_DEVNET_NBITS, DEFAULT_DEVNET_NBITS.toString(16)),
    )
    .option('--mempool-refresh-seconds <s>', 'seconds between mempool refreshes (0 = only on new blocks)', parseNonNegative, 30)
    .option('--max-blocks <n>', 'stop after N accepted blocks', parsePositiveInteger)
    .option('--json', 'print events as JSON lines', false)
    .addHelpText('after', HELP_AFTER);
  program.parse(argv as string[]);
  const o = program.opts<{
    host: string;
    port: number;
    rpcuser?: string;
    rpcpassword?: string;
    datadir: string;
    nbits: number;
    mempoolRefreshSeconds: number;
    maxBlocks?: number;
    json: boolean;
  }>();
  const log = (event: DevnetLogEvent): void => print(formatLogLine(event, o.json));

  const devnet: Devnet = await startDevnet({
    host: o.host,
    port: o.port,
    rpcuser: o.rpcuser,
    rpcpassword: o.rpcpassword,
    datadir: o.rpcpassword === undefined ? o.datadir : undefined,
    bits: o.nbits,
    mempoolRefreshSeconds: o.mempoolRefreshSeconds,
  });
  return new Promise<number>((resolve) => {
    let accepted = 0;
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      devnet.node.removeAllListeners();
      void devnet.close().then(() => {
        log({ event: 'stopped' });
        resolve(0);
      });
    };
    devnet.node.on('block', (e) => {
      log({ event: 'block', ...e });
      accepted++;
      if (o.maxBlocks !== undefined && accepted >= o.maxBlocks) {
        log({ event: 'max-blocks', blocks: o.maxBlocks });
        stop();
      }
    });
    devnet.node.on('rejected', (e) => log({ event: 'rejected', ...e }));
    devnet.node.on('mempool', (e) => log({ event: 'mempool', ...e }));
    devnet.node.on('warning', (e) => log({ event: 'warning', ...e }));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    log({ event: 'listening', url: devnet.url });
    if (devnet.cookieFile) log({ event: 'cookie', path: devnet.cookieFile });
  });
}
