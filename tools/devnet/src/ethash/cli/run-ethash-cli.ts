import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_ETHASH_DEVNET_DIFFICULTY } from '../chain/ethash-chain';
import { DEFAULT_ETHASH_DEVNET_PORT, startEthashDevnet } from '../ethash-devnet';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`port "${value}" is not an integer in 0..65535`);
  return n;
}

function parseInteger(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`"${value}" is not an integer >= ${min}`);
    return n;
  };
}

function parseDifficultyArg(value: string): bigint {
  if (!/^(0x[0-9a-fA-F]+|\d+)$/.test(value) || BigInt(value) < 1n) {
    throw new InvalidArgumentError(`difficulty "${value}" is not an integer >= 1 (decimal or 0x-hex)`);
  }
  return BigInt(value);
}

function parseNonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number >= 0`);
  return n;
}

const HELP_AFTER = `
Chain:
  Blocks at a constant difficulty (no retargeting, no transactions, no
  reorgs) on top of an anchor block at --start-height - 1. Boundary =
  2^256 / difficulty; expected light hashes per block = difficulty. One CPU
  thread does about 200 light hashes per second, so the default difficulty
  ${DEFAULT_ETHASH_DEVNET_DIFFICULTY} gives a block every ~5 s.
  The proof of work is real ethash (light cache of the work's epoch, built by
  the native addon of @lode/coin-ethereum); seal and block hashes are
  SHA-256 stand-ins for keccak256(RLP(header)).

Epochs:
  ethash: epoch = floor(height / 30000), seed = keccak256^epoch(0^32).
  etchash (ECIP-1099): from --ecip1099-block on, epoch = floor(height / 60000)
  for the sizes and the seed of 2 * epoch; default 0 = ETChash from genesis.
  --start-height 29998 starts two blocks before ethash epoch 1.

eth_submitWork (core-geth's remote sealer): unknown seal hash, wrong mix
digest, final hash above the boundary, or work not within 7 blocks of the
head -> false; otherwise true and, on the head, a new block and new work.

Log lines (one per event, stdout; --json prints one JSON object per line):
  devnet: light cache for epoch 0 ready (seed 0x0000…0000) in 1.4 s
  devnet: new work 1 0x<seal hash> (start)
  devnet: ethash listening on http://127.0.0.1:8545 (difficulty 1000, next block 1, epoch 0)
  devnet: block 1 accepted 0x<seal hash> nonce 0x<16 hex> (hash 0x<block hash>)
  devnet: work rejected: invalid mix digest (seal hash 0x…, nonce 0x…)
  devnet: hashrate 1.2 kH/s from 0x<id>
  devnet: reached --max-blocks 5, stopping
  devnet: stopped
`;

/**
 * Runs `lode-devnet ethash`: parses `args` (the arguments after "ethash"),
 * starts an ethash devnet, prints one line per event to `print`, and stops on
 * SIGINT / SIGTERM or after --max-blocks blocks.
 *
 * @param args the options, e.g. ["--difficulty", "2", "--port", "0"]
 * @param print where log lines go; default console.log
 * @returns resolves with the exit code once the devnet has stopped
 */
export async function runEthashCli(args: readonly string[], print: (line: string) => void = console.log): Promise<number> {
  const program = new Command('lode-devnet ethash')
    .description("A local ethash / ETChash chain that speaks geth's JSON-RPC (eth_getWork, eth_submitWork, ...) for the demo and end-to-end tests.")
    .addOption(new Option('--algo <algo>', 'proof of work').choices(['ethash', 'etchash']).default('ethash'))
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'RPC port (0 = any free port)', parsePort, DEFAULT_ETHASH_DEVNET_PORT)
    .addOption(
      new Option('--difficulty <n>', 'constant block difficulty (decimal or 0x-hex)')
        .argParser(parseDifficultyArg)
        .default(DEFAULT_ETHASH_DEVNET_DIFFICULTY, String(DEFAULT_ETHASH_DEVNET_DIFFICULTY)),
    )
    .option('--start-height <n>', 'number of the first block to mine', parseInteger(1), 1)
    .option('--ecip1099-block <n>', 'etchash: first block with 60000-block epochs', parseInteger(0), 0)
    .option('--work-refresh-ms <ms>', 'new work at the same height every N ms (0 = only on new blocks)', parseNonNegative, 0)
    .option('--max-blocks <n>', 'stop after N accepted blocks', parseInteger(1))
    .option('--json', 'print events as JSON lines', false)
    .addHelpText('after', HELP_AFTER);
  program.parse(args as string[], { from: 'user' });
  const o = program.opts<{
    algo: 'ethash' | 'etchash';
    host: string;
    port: number;
    difficulty: bigint;
    startHeight: number;
    ecip1099Block: number;
    workRefreshMs: number;
    maxBlocks?: number;
    json: boolean;
  }>();

  const devnet = await startEthashDevnet({
    algo: o.algo,
    host: o.host,
    port: o.port,
    difficulty: o.difficulty,
    startHeight: o.startHeight,
    ecip1099Block: o.ecip1099Block,
    workRefreshMs: o.workRefreshMs,
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
