import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryPoints } from './paths';
import { spawnLogged, type LoggedProcess } from './spawn-logged';

/** One pino JSON log line (`--json`): its message and its fields. */
export type LogRecord = { msg: string } & Record<string, unknown>;

/**
 * The JSON log records a process printed so far whose `msg` equals `msg`
 * (a string) or matches it (a RegExp). Lines that are not JSON are skipped.
 */
export function logRecords(p: LoggedProcess, msg: string | RegExp): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of p.lines) {
    if (!line.startsWith('{')) continue;
    let record: LogRecord;
    try {
      record = JSON.parse(line) as LogRecord;
    } catch {
      continue;
    }
    if (typeof msg === 'string' ? record.msg === msg : msg.test(String(record.msg))) records.push(record);
  }
  return records;
}

/** The JSON records of a miner's events (`lode-miner --json` writes an `event` field), e.g. "subscribed", "accepted". */
export function minerEvents(miner: LoggedProcess, event: string): LogRecord[] {
  return logRecords(miner, /^miner: /).filter((r) => r['event'] === event);
}

/** Options of a test proxy config: one upstream (the pool under test), one port at a fixed difficulty. */
export interface TestProxyConfig {
  dir: string;
  /** the coin plugin package, e.g. "@lode/coin-bitcoin" */
  plugin: string;
  /** coin id, e.g. "btc" */
  coin: string;
  dialect: 'bitcoin' | 'ethstratum' | 'warthog';
  /** the pool's stratum port on 127.0.0.1 */
  upstreamPort: number;
  /** the user every upstream connection authorizes as (credentials: proxy) */
  user: string;
  /** the fixed share difficulty (not a target) of the proxy's miners */
  difficulty: number;
}

/** Writes a proxy config (JSON) for one upstream pool on loopback and returns its path. */
export function writeProxyConfig(o: TestProxyConfig): string {
  const scheme = o.dialect === 'ethstratum' ? 'stratum3' : 'stratum';
  const config = {
    plugins: [o.plugin],
    log: { level: 'info', format: 'json', shares: true, statsIntervalSeconds: 0 },
    upstreams: [{ name: 'pool', url: `${scheme}+tcp://127.0.0.1:${o.upstreamPort}`, user: o.user, password: 'x', coin: o.coin, dialect: o.dialect }],
    credentials: 'proxy',
    ports: [{ name: 'downstream', host: '127.0.0.1', port: 0, coin: o.coin, dialect: o.dialect, difficulty: { initial: o.difficulty } }],
    connectTimeoutSeconds: 30,
    shutdownGraceSeconds: 5,
  };
  const file = join(o.dir, 'proxy.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

/** Starts `lode-proxy --config <file> --json` and resolves with the process and the port its miners connect to. */
export async function startProxyProcess(configFile: string): Promise<{ proxy: LoggedProcess; port: number }> {
  const proxy = spawnLogged('proxy', entryPoints.proxy, ['--config', configFile, '--json']);
  const line = await proxy.waitFor(/"msg":"proxy listening"/, 90000);
  const port = Number((JSON.parse(line) as { url: string }).url.split(':').pop());
  return { proxy, port };
}

/** Polls `condition` every 250 ms; rejects with `what()` when it is still false after `timeoutMs`. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** What the pool and the proxy logged about shares (count it once both have stopped, so that no share is in flight). */
export interface ShareLedger {
  /** false when a process printed more lines than spawnLogged keeps (the counts would be short) */
  complete: boolean;
  /** the pool's "share accepted" records ("share accepted (stale)" included) */
  poolAccepted: LogRecord[];
  /** the pool's "share rejected" records */
  poolRejected: LogRecord[];
  /** the proxy's "share accepted" records: shares of its own miners */
  proxyAccepted: LogRecord[];
  /** the proxy's "share rejected" records: shares of its own miners */
  proxyRejected: LogRecord[];
  /** the proxy's "upstream share accepted by upstream" records: forwarded, and the pool said yes */
  forwardedAccepted: LogRecord[];
  /** the proxy's "upstream share rejected by upstream" records: forwarded, and the pool said no */
  forwardedRejected: LogRecord[];
  /** the proxy's "upstream share not answered: the link failed" records */
  forwardedUnanswered: LogRecord[];
}

/** Collects the {@link ShareLedger} from the JSON logs of a pool and of the proxy in front of it. */
export function shareLedger(pool: LoggedProcess, proxy: LoggedProcess): ShareLedger {
  return {
    complete: pool.lines.length < 5000 && proxy.lines.length < 5000,
    poolAccepted: logRecords(pool, /^share accepted/),
    poolRejected: logRecords(pool, 'share rejected'),
    proxyAccepted: logRecords(proxy, 'share accepted'),
    proxyRejected: logRecords(proxy, 'share rejected'),
    forwardedAccepted: logRecords(proxy, 'upstream share accepted by upstream'),
    forwardedRejected: logRecords(proxy, 'upstream share rejected by upstream'),
    forwardedUnanswered: logRecords(proxy, /^upstream share not answered/),
  };
}
