import { Command, InvalidArgumentError, Option } from 'commander';
import { DIALECT_NAMES, type DialectName } from '../dialects/dialect-driver';
import { formatShareMix, parseShareMix } from '../mix/parse-share-mix';
import { LOADGEN_DEFAULTS, resolveLoadgenOptions, type LoadgenOptions } from '../options/loadgen-options';

function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not a number`);
  return n;
}

function mix(value: string): ReturnType<typeof parseShareMix> {
  try {
    return parseShareMix(value);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

const HELP_AFTER = `
Share kinds (--mix, percent, adding up to 100; short names in brackets):
  valid (ok)               meets the session's share target (found with the native hasher) -> accepted
  low-difficulty (low)     a nonce whose hash misses the share target              -> refused, low difficulty
  duplicate (dup)          an accepted share sent again                            -> refused, duplicate
  stale                    a share on a job older than the last clean-jobs notify  -> refused, stale / unknown job
  malformed (bad)          a line cut off (not JSON) or a submit with 2 params     -> an error reply
  A kind that cannot be made at that moment (no job superseded yet, no accepted
  share yet) is counted as skipped. Valid shares need a low pool difficulty:
  Bitcoin about difficulty * 2^32 hashes per share (1e-7: 430 hashes).

Dialects (--dialect): bitcoin (every kind, --version-rolling optional),
  warthog (every kind; Janushash), es2 (EthereumStratum/2.0.0: stale and malformed).

Exit status: 0 PASS; 1 FAIL (a session failed to open, a reply missing or
  wrong, a reply to no request; with --strict also an unexpected refusal
  reason); 2 bad options or the run could not start.

Examples:
  lode-loadgen --url stratum+tcp://127.0.0.1:3333 --sessions 1000 --ramp 500 \\
    --rate 2 --mix valid=80,low=5,dup=5,stale=5,malformed=5 --duration 30
  lode-loadgen --devnet --sessions 200 --rate 5 --mix valid=60,low=10,dup=10,stale=10,malformed=10
`;

/** Where a URL stands in while the pool is still to be started (--devnet). */
const DEVNET_PLACEHOLDER_URL = 'stratum+tcp://127.0.0.1:1';

/** What the command line asked for: the run's options, and how to print. */
export interface LoadgenCommandLine {
  /** the run's options; with `devnet`, `url` is a placeholder until the pool listens */
  options: LoadgenOptions;
  /** start a Bitcoin devnet and a Lode pool on loopback for the run (--devnet) */
  devnet?: { difficulty: number; nbits: string };
  /** print the final report as JSON on stdout (the text summary goes to stderr) */
  json: boolean;
  /** print a progress line every second to stderr */
  progress: boolean;
}

/**
 * Parses the `lode-loadgen` command line with commander.
 *
 * @param argv process.argv-style (node, script, options...)
 * @returns the checked options
 * @throws CommanderError for unknown options and bad values (commander's
 *   exitOverride), Error from resolveLoadgenOptions for values out of range
 */
export function parseLoadgenCommandLine(argv: readonly string[]): LoadgenCommandLine {
  const d = LOADGEN_DEFAULTS;
  const program = new Command('lode-loadgen')
    .description('Opens many simulated miner sessions from one process against a stratum pool, with a share mix; reports verdicts by reason and reply latency.')
    .exitOverride()
    .option('--url <url>', 'the pool, stratum+tcp://host:port (stratum+tls:// too; certificates are not checked)')
    .option('--devnet', 'start a Bitcoin devnet and a Lode pool (the built apps) on loopback for the run, instead of --url', false)
    .option('--devnet-difficulty <d>', 'with --devnet: the pool port\'s fixed share difficulty', number, 1e-7)
    .option('--devnet-nbits <hex>', 'with --devnet: the devnet\'s block target (1f050000: ~13,107 hashes per block, clean jobs every few seconds)', '1f050000')
    .addOption(new Option('--dialect <name>', 'the dialect the pool speaks').choices(DIALECT_NAMES).default(d.dialect))
    .option('--sessions <n>', 'sessions to open', number, d.sessions)
    .option('--max-sessions <n>', 'hard cap on sessions; --sessions above it is refused', number, d.maxSessions)
    .option('--ramp <n>', 'sessions opened per second during ramp-up', number, d.rampPerSecond)
    .option('--rate <n>', 'shares per second per session (0: idle sessions)', number, d.sharesPerSecond)
    .addOption(new Option('--mix <mix>', 'share mix in percent, e.g. valid=70,low=10,dup=10,stale=5,malformed=5').argParser(mix).default(d.mix, formatShareMix(d.mix)))
    .option('--duration <s>', 'seconds until sending stops (ramp-up included); the run then waits for the last replies and exits', number, d.durationSeconds)
    .option('--reply-timeout <ms>', 'a reply later than this is missing', number, d.replyTimeoutMs)
    .option('--max-in-flight <n>', 'requests one session may have waiting; more shares are throttled', number, d.maxInFlight)
    .option('--user <name>', 'worker names are <user>.<session index>', d.user)
    .option('--password <password>', 'password of mining.authorize', d.password)
    .option('--version-rolling', 'Bitcoin: negotiate BIP 310 version rolling and roll version bits', d.versionRolling)
    .option('--local-addresses <list>', 'comma-separated local addresses sessions bind to in turn (more than ~28k sessions on loopback: 127.0.0.1,127.0.0.2,...)', '')
    .option('--strict', 'also fail when an invalid share is refused for another reason than its kind', d.strict)
    .option('--json', 'print the final report as JSON on stdout (the text summary goes to stderr)', false)
    .option('--no-progress', 'no progress line every second on stderr')
    .addHelpText('after', HELP_AFTER);
  program.parse(argv as string[]);
  const o = program.opts<{
    url?: string;
    devnet: boolean;
    devnetDifficulty: number;
    devnetNbits: string;
    dialect: DialectName;
    sessions: number;
    maxSessions: number;
    ramp: number;
    rate: number;
    mix: LoadgenOptions['mix'];
    duration: number;
    replyTimeout: number;
    maxInFlight: number;
    user: string;
    password: string;
    versionRolling: boolean;
    localAddresses: string;
    strict: boolean;
    json: boolean;
    progress: boolean;
  }>();
  if (o.devnet === (o.url !== undefined)) throw new Error(o.devnet ? '--devnet starts its own pool: leave out --url' : 'give --url (or --devnet)');
  if (o.devnet && o.dialect !== 'bitcoin') throw new Error(`--devnet starts a Bitcoin pool; dialect is ${o.dialect}`);
  if (!/^[0-9a-fA-F]{8}$/.test(o.devnetNbits)) throw new Error(`--devnet-nbits "${o.devnetNbits}" is not 8 hex digits`);
  const options = resolveLoadgenOptions({
    url: o.url ?? DEVNET_PLACEHOLDER_URL,
    dialect: o.dialect,
    sessions: o.sessions,
    maxSessions: o.maxSessions,
    rampPerSecond: o.ramp,
    sharesPerSecond: o.rate,
    mix: o.mix,
    durationSeconds: o.duration,
    replyTimeoutMs: o.replyTimeout,
    maxInFlight: o.maxInFlight,
    user: o.user,
    password: o.password,
    versionRolling: o.versionRolling,
    localAddresses: o.localAddresses
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    strict: o.strict,
  });
  return { options, json: o.json, progress: o.progress, ...(o.devnet ? { devnet: { difficulty: o.devnetDifficulty, nbits: o.devnetNbits } } : {}) };
}
