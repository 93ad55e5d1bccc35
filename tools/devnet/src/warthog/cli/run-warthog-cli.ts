import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DEVNET_TRANSFERS, DEFAULT_WARTHOG_DEVNET_DIFFICULTY, DEFAULT_WARTHOG_START_HEIGHT, JANUS8_START_HEIGHT } from '../chain/warthog-chain';
import { DEFAULT_WARTHOG_DEVNET_PORT, startWarthogDevnet } from '../warthog-devnet';

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`port "${value}" is not an integer in 0..65535`);
  return n;
}

function parseInteger(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`"${value}" is not an integer >= ${min}`);
    return n;
  };
}

function parseDifficulty(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`difficulty "${value}" is not a number > 0`);
  return n;
}

const HELP_AFTER = `
Chain:
  Janus8 blocks (header version 3, VerusHash v2.2) on top of an anchor head at
  --start-height (default ${DEFAULT_WARTHOG_START_HEIGHT}; at least ${JANUS8_START_HEIGHT}), at a constant
  TargetV2 (no retargeting, no reorgs). A header meets difficulty D with
  probability about 2.65 / D (Y >= 0.005 and J < 1/D), so one CPU thread of
  the native scan (~860k Janushash/s with AES-NI, ~310k/s portable) finds a
  block of the default difficulty ${DEFAULT_WARTHOG_DEVNET_DIFFICULTY} in about 2 s (6 s portable).
  Bodies: no new addresses, the reward (3 WART, halving every 3153600
  blocks) and ${DEFAULT_DEVNET_TRANSFERS} dummy 99-byte transfers (no fee), so the merkle prefix is 64 bytes.

HTTP API (the node's mining endpoints, {code, data|error} envelopes):
  GET  /chain/mine/:account   a template paying the 48-hex address
  GET  /chain/head            head hash, height, next difficulty, pin, worksum
  POST /chain/append          {"height","header","body"}: the node's checks
                              (height, prevHash, version, target, Janushash,
                              timestamp, body, merkle root)

Log lines (one per event, stdout; --json prints one JSON object per line):
  devnet: warthog listening on http://127.0.0.1:3000 (difficulty 5000000.296840899, target 05b5afe5, next block 2000001)
  devnet: block 2000001 accepted <hash> nonce <8 hex> (extranonce <20 hex>)
  devnet: block rejected: bad proof of work (height 2000001, hash <hash>: <detail>)
  devnet: reached --max-blocks 5, stopping
  devnet: stopped
`;

/**
 * Runs `lode-devnet warthog`: parses `args` (the arguments after "warthog"),
 * starts a Warthog devnet, prints one line per event to `print`, and stops
 * on SIGINT / SIGTERM or after --max-blocks blocks.
 *
 * @param args the options, e.g. ["--difficulty", "1", "--port", "0"]
 * @param print where log lines go; default console.log
 * @returns resolves with the exit code once the devnet has stopped
 */
export async function runWarthogCli(args: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  const program = new Command('lode-devnet warthog')
    .description("A local Warthog chain that speaks the node's HTTP API (/chain/mine, /chain/head, /chain/append) for the demo and end-to-end tests.")
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'HTTP port (0 = any free port)', parsePort, DEFAULT_WARTHOG_DEVNET_PORT)
    .option('--difficulty <d>', 'constant block difficulty (fractions allowed)', parseDifficulty, DEFAULT_WARTHOG_DEVNET_DIFFICULTY)
    .option('--start-height <n>', 'height of the head to start on; the first block mined is one above', parseInteger(JANUS8_START_HEIGHT), DEFAULT_WARTHOG_START_HEIGHT)
    .option('--transfers <n>', 'dummy transfers per block (0 = a 32-byte merkle prefix)', parseInteger(0), DEFAULT_DEVNET_TRANSFERS)
    .option('--max-blocks <n>', 'stop after N accepted blocks', parseInteger(1))
    .option('--json', 'print events as JSON lines', false)
    .addHelpText('after', HELP_AFTER);
  program.parse(args as string[], { from: 'user' });
  const o = program.opts<{
    host: string;
    port: number;
    difficulty: number;
    startHeight: number;
    transfers: number;
    maxBlocks?: number;
    json: boolean;
  }>();

  const devnet = await startWarthogDevnet({
    host: o.host,
    port: o.port,
    difficulty: o.difficulty,
    startHeight: o.startHeight,
    transfers: o.transfers,
    maxBlocks: o.maxBlocks,
    log: print,
    json: o.json,
  });
  const stop = (): void => void devnet.close();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await devnet.closed;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
