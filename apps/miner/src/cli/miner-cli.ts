import { availableParallelism } from 'node:os';
import { Command, Option } from 'commander';
import { LodeError, parseStratumUrl } from '@lode/stratum-core';
import { MINER_VERSION } from '../miner-options';

/** Levels `--log-level` takes (pino's). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/** A `--log-level` value. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The command line, checked and in the units the miner takes. */
export interface MinerCliConfig {
  /** the pool URL as given (credentials in it are ignored for the connection) */
  url: string;
  user: string;
  password: string;
  threads: number;
  /** coin id, lower case */
  coin: string;
  /** plugin package names, or 'auto' */
  plugins: string[] | 'auto';
  suggestDifficulty: number | undefined;
  extranonceSubscribe: boolean;
  /** send mining.configure first (BIP 310) */
  configure: boolean;
  /** the version-rolling mask to ask for, uint32; null = do not ask (--no-version-rolling) */
  versionRollingMask: number | null;
  /** share difficulty for BIP 310 minimum-difficulty */
  minimumDifficulty: number | undefined;
  /** ms; 0 = no stats lines */
  statsIntervalMs: number;
  logLevel: LogLevel;
  json: boolean;
  exitAfterAccepted: number | undefined;
  /** ms */
  exitAfterMs: number | undefined;
  tls: { rejectUnauthorized: boolean; caFile: string | undefined };
  /** ethash family: mine with the full dataset instead of the light cache */
  fullDataset: boolean;
  /** ethash family: seconds between mining.hashrate reports; 0 = never */
  hashrateReportSeconds: number;
  /** where to serve Prometheus metrics (`--metrics`); undefined = no endpoint */
  metrics: { host: string; port: number } | undefined;
}

const LINES = `
Ethereum dialects (--coin eth or etc), by URL scheme (ethminer's names; +tcp, +ssl or +tls):
  stratum+tcp://   plain stratum (ethminer mode 0): the miner picks all 8 nonce bytes, sends the mix digest
  stratum1+tcp://  EthProxy (eth_submitLogin, eth_getWork, eth_submitWork)
  stratum2+tcp://  NiceHash EthereumStratum/1.0.0 (extranonce prefix, mining.set_difficulty)
  stratum3+tcp://  EthereumStratum/2.0.0 (EIP-1571: mining.hello, session resume, mining.bye)
  The miner prints the one it speaks first:
  miner: speaking EthProxy (stratum1) to 127.0.0.1:4444

Log lines (one per event, greppable; --json prints the same events as pino JSON with an "event" field):
  miner: connecting to stratum+tcp://127.0.0.1:3333 (attempt 1)
  miner: connected to stratum+tcp://127.0.0.1:3333
  miner: configured version-rolling mask 1fffe000 (asked ffffffff)
  miner: version rolling refused by the pool
  miner: minimum difficulty 2048 accepted                                (or: refused)
  miner: mining.configure failed (…); mining stratum+tcp://… without it from now on
  miner: subscribed extranonce1=08000002 extranonce2_size=4 session=...
  miner: authorized worker alice.rig1
  miner: new job 1a difficulty 0.001 clean=true
  miner: share accepted job 1a nonce 9a3b3338 (diff 0.001)
  miner: share rejected: Job not found (code 21)
  miner: version mask now 1f7fe000                                       (mining.set_version_mask)
  miner: 12.35 MH/s over 2 threads (sha-ni), accepted 3, rejected 0     (every --stats-interval seconds)
  miner: disconnected (peer closed), reconnecting to stratum+tcp://127.0.0.1:3333 in 1 s
  miner: cannot connect (connect to 127.0.0.1:3333 failed: ECONNREFUSED), reconnecting to … in 2 s
  miner: stopped (SIGINT): 123456789 hashes, accepted 3, rejected 0, stale 0
  miner: metrics endpoint listening at http://127.0.0.1:9101/metrics    (with --metrics; docs/metrics.md)

Exit codes: 0 after SIGINT/SIGTERM or --exit-after-*, 1 on a fatal error, 2 on bad options or plugins that cannot be loaded.
`;

/** The commander program of `lode-miner` (options documented in its --help). */
export function buildMinerCommand(): Command {
  return new Command('lode-miner')
    .description(
      'Lode CPU miner: Stratum v1 (SHA-256d), the four Ethereum stratum dialects (ethash, ETChash) or Warthog stratum, with the coin plugin\'s native scanning threads.',
    )
    .version(MINER_VERSION)
    .requiredOption(
      '-o, --url <url>',
      'pool URL: stratum+tcp://host:port, stratum+ssl:// or stratum+tls://; for eth/etc the scheme picks the dialect as ethminer names them: stratum+ plain stratum, stratum1+ EthProxy, stratum2+ EthereumStratum/1.0.0 (NiceHash), stratum3+ EthereumStratum/2.0.0',
    )
    .option('-u, --user <worker>', 'worker name for mining.authorize (default: the user in the URL)')
    .option('-p, --pass <password>', 'password for mining.authorize', 'x')
    .option('-t, --threads <n>', 'native scan threads (default: number of CPUs)')
    .option('--coin <id>', 'coin id to mine (btc; eth or etc in the dialect of the URL scheme; wart with Warthog stratum)', 'btc')
    .option('--full-dataset', 'ethash: build the full dataset (GBs, minutes; progress is logged) and mine with it instead of the light cache', false)
    .option('--hashrate-report <seconds>', 'ethash: seconds between hashrate reports to the pool (mining.hashrate, eth_submitHashrate); 0 turns them off', '30')
    .option('--plugins <list>', 'coin plugins to load: auto, or package names separated by commas', 'auto')
    .option('--suggest-difficulty <d>', 'ask the pool for this share difficulty (mining.suggest_difficulty)')
    .option('--no-extranonce-subscribe', 'do not ask for mining.set_extranonce (neither subscribe-extranonce nor mining.extranonce.subscribe)')
    .option('--no-configure', 'do not send mining.configure (BIP 310) before mining.subscribe: no version rolling')
    .option('--version-rolling-mask <hex>', 'version bits the miner asks to roll (BIP 310 version-rolling.mask, 8 hex digits)', 'ffffffff')
    .option('--no-version-rolling', 'do not ask for version rolling in mining.configure')
    .option('--minimum-difficulty <d>', 'ask for this minimum share difficulty (BIP 310 minimum-difficulty)')
    .option('--stats-interval <seconds>', 'seconds between hashrate lines; 0 turns them off', '5')
    .addOption(new Option('--log-level <level>', 'log level').choices(LOG_LEVELS).default('info'))
    .option('--json', 'log pino JSON lines instead of text', false)
    .option('--exit-after-accepted <n>', 'stop after N accepted shares (tests, demos)')
    .option('--exit-after-seconds <n>', 'stop after N seconds (tests, demos)')
    .option('--tls-ca <file>', 'PEM file of the CA that signed the pool\'s certificate')
    .option('--tls-insecure', 'accept any TLS certificate (self-signed test pools)', false)
    .option(
      '--metrics <[host:]port>',
      'serve Prometheus metrics at http://host:port/metrics (host default 127.0.0.1; port 0 takes a free one, logged); off by default',
    )
    .addHelpText('after', LINES)
    .showHelpAfterError(false);
}

/** The raw options commander hands back. */
interface RawOptions {
  url: string;
  user?: string;
  pass: string;
  threads?: string;
  coin: string;
  plugins: string;
  suggestDifficulty?: string;
  extranonceSubscribe: boolean;
  configure: boolean;
  versionRollingMask: string;
  versionRolling: boolean;
  minimumDifficulty?: string;
  statsInterval: string;
  logLevel: LogLevel;
  json: boolean;
  exitAfterAccepted?: string;
  exitAfterSeconds?: string;
  tlsCa?: string;
  tlsInsecure: boolean;
  fullDataset: boolean;
  hashrateReport: string;
  metrics?: string;
}

/**
 * Checks the options of a parsed {@link buildMinerCommand} and converts them.
 *
 * @throws LodeError('config') naming the option, the value and the rule,
 *   e.g. "--threads must be an integer >= 1, got 'two'"
 */
export function minerCliConfig(command: Command): MinerCliConfig {
  const o = command.opts<RawOptions>();
  const parsed = parseStratumUrl(o.url);
  const user = o.user ?? parsed.username;
  if (user === undefined || user === '') {
    throw new LodeError('config', `no worker name: give --user <worker> or put it in the URL (stratum+tcp://worker@host:port)`);
  }
  const plugins =
    o.plugins.trim() === 'auto'
      ? 'auto'
      : o.plugins
          .split(',')
          .map((p) => p.trim())
          .filter((p) => p !== '');
  if (plugins !== 'auto' && plugins.length === 0) {
    throw new LodeError('config', `--plugins must be 'auto' or package names separated by commas, got '${o.plugins}'`);
  }
  const coin = o.coin.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]*$/.test(coin)) {
    throw new LodeError('config', `--coin must be a coin id such as 'btc', got '${o.coin}'`);
  }
  if (!o.configure) {
    for (const option of ['versionRollingMask', 'minimumDifficulty']) {
      if (command.getOptionValueSource(option) === 'cli') {
        const flag = `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
        throw new LodeError('config', `${flag} is asked for through mining.configure, which --no-configure turns off`);
      }
    }
  }
  if (!o.versionRolling && command.getOptionValueSource('versionRollingMask') === 'cli') {
    throw new LodeError('config', '--version-rolling-mask and --no-version-rolling contradict each other: give one');
  }
  const exitAfterSeconds = o.exitAfterSeconds === undefined ? undefined : number('--exit-after-seconds', o.exitAfterSeconds, true);
  return {
    url: o.url,
    user,
    password: command.getOptionValueSource('pass') === 'default' ? (parsed.password ?? o.pass) : o.pass,
    threads: o.threads === undefined ? availableParallelism() : integer('--threads', o.threads, 1, MAX_THREADS),
    coin,
    plugins,
    suggestDifficulty: o.suggestDifficulty === undefined ? undefined : number('--suggest-difficulty', o.suggestDifficulty, true),
    extranonceSubscribe: o.extranonceSubscribe,
    configure: o.configure,
    versionRollingMask: o.versionRolling ? mask('--version-rolling-mask', o.versionRollingMask) : null,
    minimumDifficulty: o.minimumDifficulty === undefined ? undefined : number('--minimum-difficulty', o.minimumDifficulty, false),
    statsIntervalMs: number('--stats-interval', o.statsInterval, false) * 1000,
    logLevel: o.logLevel,
    json: o.json,
    exitAfterAccepted: o.exitAfterAccepted === undefined ? undefined : integer('--exit-after-accepted', o.exitAfterAccepted, 1),
    exitAfterMs: exitAfterSeconds === undefined ? undefined : exitAfterSeconds * 1000,
    tls: { rejectUnauthorized: !o.tlsInsecure, caFile: o.tlsCa },
    fullDataset: o.fullDataset,
    hashrateReportSeconds: number('--hashrate-report', o.hashrateReport, false),
    metrics: o.metrics === undefined ? undefined : listenAddress('--metrics', o.metrics),
  };
}

/**
 * A listen address: "port", "host:port" or "[ipv6]:port"; the host defaults
 * to 127.0.0.1 (metrics stay on the machine unless asked otherwise).
 */
function listenAddress(option: string, raw: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]:|([^:[\]]*):)?(\d{1,5})$/.exec(raw.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || port > 65535) {
    throw new LodeError('config', `${option} must be [host:]port with a port of 0..65535, such as 127.0.0.1:9101, got '${raw}'`);
  }
  const host = m[1] ?? m[2];
  return { host: host === undefined || host === '' ? '127.0.0.1' : host, port };
}

/** Largest thread count accepted: more native threads than this is a typo, not a machine. */
const MAX_THREADS = 1024;

function integer(option: string, raw: string, min: number, max?: number): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isSafeInteger(value) || value < min || (max !== undefined && value > max)) {
    const range = max === undefined ? `>= ${min}` : `of ${min}..${max}`;
    throw new LodeError('config', `${option} must be an integer ${range}, got '${raw}'`);
  }
  return value;
}

/** A BIP 310 TMask: 8 hex digits (fewer are read as leading zeros), non-zero. */
function mask(option: string, raw: string): number {
  const digits = raw.trim().replace(/^0x/i, '');
  const value = /^[0-9a-f]{1,8}$/i.test(digits) ? parseInt(digits, 16) : 0;
  if (value === 0) {
    throw new LodeError('config', `${option} must be a non-zero 32-bit mask of up to 8 hex digits such as 1fffe000, got '${raw}'`);
  }
  return value;
}

function number(option: string, raw: string, positive: boolean): number {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new LodeError('config', `${option} must be a finite number ${positive ? '> 0' : '>= 0'}, got '${raw}'`);
  }
  return value;
}
