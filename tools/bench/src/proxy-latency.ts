import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildHeader, createBitcoinHasher, merkleRootFromBranches, sha256d, type BitcoinHasher } from '@lode/coin-bitcoin';

/** Options of runProxyLatencyBench. */
export interface ProxyLatencyBenchOptions {
  /** measured wall time per path (direct, via proxy), seconds, split over the rounds (default 10) */
  seconds?: number;
  /** rounds; each runs one direct and one proxy phase, the order alternating (default 5) */
  rounds?: number;
  /** client connections per path (default 8) */
  connections?: number;
  /** submits in flight per connection (default 1: send, wait for the reply, send the next) */
  inFlight?: number;
  /** unmeasured phase per path before the rounds, seconds (default 1) */
  warmupSeconds?: number;
  /**
   * share difficulty of the pool port and of the proxy's downstream port
   * (difficulty, not a target; default 1e-8, about 43 hashes per share), equal
   * so that every share the proxy accepts is one it forwards
   */
  difficulty?: number;
  /** compact target of the devnet's blocks, 8 hex digits (default "1d00ffff": no block during a run, so no stale share) */
  nbits?: string;
  /** ms each process may take to start listening (default 60000) */
  startTimeoutMs?: number;
  /** the repository root holding the built apps (default: found from this file) */
  repoRoot?: string;
}

/** Round-trip times of one path's submits (send to reply, as the client sees them), ms. */
export interface RoundTrip {
  /** submits answered */
  samples: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** What one path (direct or via the proxy) did over every measured phase. */
export interface PathFigures {
  /** "direct to the pool" or "via the proxy" */
  name: string;
  /** submits answered */
  submitted: number;
  /** answered `result: true` */
  accepted: number;
  /** the other answers, by "<code> <message>" (the Stratum v1 error array); empty when every share was accepted */
  refused: Record<string, number>;
  /** wall time of the phases, from the first send to the last reply, seconds */
  seconds: number;
  /** accepted shares per second over `seconds` */
  sharesPerSecond: number;
  rtt: RoundTrip;
}

/** What the proxy forwarded to the pool during its phases (its stats API, /api/upstreams). */
export interface ForwardFigures {
  /** shares the proxy sent upstream */
  forwarded: number;
  /** of those, accepted by the pool */
  accepted: number;
  /** refused by the pool */
  rejected: number;
  /** not answered (the upstream link failed) */
  failed: number;
  /** from each phase's first send until the pool had answered every forwarded share, summed, seconds */
  seconds: number;
  /** shares accepted by the pool per second over `seconds` */
  sharesPerSecond: number;
  /** longest wait, after a phase's last reply to the clients, for the pool's answers to the forwarded shares, ms */
  maxDrainMs: number;
}

/** One run: both paths measured in the same run, interleaved. */
export interface ProxyLatencyReport {
  connections: number;
  inFlight: number;
  rounds: number;
  difficulty: number;
  direct: PathFigures;
  proxy: PathFigures;
  forwarded: ForwardFigures;
  /** what the proxy adds to a share's round trip: via proxy minus direct, ms */
  addedLatency: { p50Ms: number; p99Ms: number };
}

/** Stratum difficulty 1 = target 0xffff * 2^208 (facts/bitcoin-stratum.md, "Targets"). */
const DIFF1 = 0xffffn << 208n;
const TWO_256 = 1n << 256n;
/** A regtest P2WPKH payout address (tools/e2e/src/support/paths.ts, DEVNET_PAYOUT_ADDRESS). */
const PAYOUT_ADDRESS = 'bcrt1qxessftmcyqpht9j9p6stxns0w3p9qlp9p4r05l';
/** Expected hits per native scan call (the addon returns at most 4096). */
const HITS_PER_SCAN = 2048;
/** Longest reply line a client keeps buffering, bytes. */
const MAX_LINE = 65536;

const now = (): number => performance.now();

/* ------------------------------------------------------------------ processes */

/** A child process of this run, its output in a file (nothing for this process to read while measuring). */
interface Child {
  readonly name: string;
  /** resolves with the first output line matching `pattern` */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** the last output lines, for error messages */
  tail(lines?: number): string;
  /** SIGTERM, SIGKILL after 3 s; resolves when it has exited */
  stop(): Promise<void>;
  /** SIGKILL now (from a process 'exit' handler) */
  kill(): void;
}

function startChild(name: string, script: string, args: string[], dir: string): Child {
  if (!existsSync(script)) {
    throw new Error(`${script} is missing: build the apps first (npx nx run-many -t build-native build --outputStyle=static)`);
  }
  const logFile = join(dir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  let proc: ChildProcess;
  try {
    proc = spawn(process.execPath, [script, ...args], { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  let exited = proc.exitCode !== null;
  const exit = new Promise<void>((done) => {
    proc.once('exit', () => {
      exited = true;
      done();
    });
    proc.once('error', () => {
      exited = true;
      done();
    });
  });
  const read = (): string => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const tail = (lines = 20): string => read().split('\n').slice(-lines - 1).join('\n');
  return {
    name,
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

/** The devnet, the pool and the proxy of one run. */
interface Stack {
  pool: { host: string; port: number };
  proxy: { host: string; port: number };
  /** the proxy's stats API, "http://127.0.0.1:<port>" */
  proxyApi: string;
  stop(): Promise<void>;
}

/** The port of a "... listening" JSON log line's `url` ("stratum+tcp://127.0.0.1:3333" -> 3333). */
function portOf(line: string): number {
  const url = (JSON.parse(line) as { url?: string }).url ?? '';
  const port = Number(/:(\d+)\/?$/.exec(url)?.[1]);
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no port in the log line ${line}`);
  return port;
}

async function startStack(options: Required<Pick<ProxyLatencyBenchOptions, 'difficulty' | 'nbits' | 'startTimeoutMs' | 'repoRoot'>>): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), 'lode-bench-proxy-'));
  const children: Child[] = [];
  const killAll = (): void => children.forEach((c) => c.kill());
  process.once('exit', killAll);
  const stop = async (): Promise<void> => {
    // the proxy first: it would otherwise log the pool's loss and retry
    for (const child of [...children].reverse()) await child.stop();
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  const root = options.repoRoot;
  try {
    const devnet = startChild(
      'devnet',
      join(root, 'tools/devnet/dist/main.js'),
      ['--host', '127.0.0.1', '--port', '0', '--rpcuser', 'lode', '--rpcpassword', 'lode', '--nbits', options.nbits, '--mempool-refresh-seconds', '0'],
      dir,
    );
    children.push(devnet);
    const listening = await devnet.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, options.startTimeoutMs);
    const rpcPort = Number(/127\.0\.0\.1:(\d+)/.exec(listening)?.[1]);

    const poolConfig = join(dir, 'pool.json');
    writeFileSync(
      poolConfig,
      JSON.stringify({
        plugins: ['@lode/coin-bitcoin'],
        // shares: false puts share verdicts at debug: no log line per share
        log: { level: 'info', format: 'json', shares: false, statsIntervalSeconds: 0 },
        coins: {
          btc: {
            node: { url: `http://127.0.0.1:${rpcPort}`, user: 'lode', password: 'lode', pollIntervalMs: 500 },
            payoutAddress: PAYOUT_ADDRESS,
            network: 'regtest',
            coinbaseTag: '/Lode bench/',
          },
        },
        // no job refresh during a run: every precomputed share stays on a current job
        engine: { jobRefreshSeconds: 3600 },
        ports: [{ name: 'bench', host: '127.0.0.1', port: 0, coin: 'btc', difficulty: { initial: options.difficulty } }],
        shutdownGraceSeconds: 1,
      }),
    );
    const pool = startChild('pool', join(root, 'apps/pool/dist/main.js'), ['--config', poolConfig, '--json'], dir);
    children.push(pool);
    const poolPort = portOf(await pool.waitFor(/pool listening/, options.startTimeoutMs));

    const proxyConfig = join(dir, 'proxy.json');
    writeFileSync(
      proxyConfig,
      JSON.stringify({
        plugins: ['@lode/coin-bitcoin'],
        log: { level: 'info', format: 'json', shares: false, statsIntervalSeconds: 0 },
        upstreams: [{ name: 'pool', url: `stratum+tcp://127.0.0.1:${poolPort}`, user: 'bench.proxy', password: 'x', coin: 'btc', dialect: 'bitcoin' }],
        credentials: 'proxy',
        ports: [{ name: 'bench', host: '127.0.0.1', port: 0, coin: 'btc', dialect: 'bitcoin', difficulty: { initial: options.difficulty } }],
        api: { host: '127.0.0.1', port: 0 },
        shutdownGraceSeconds: 1,
      }),
    );
    const proxy = startChild('proxy', join(root, 'apps/proxy/dist/main.js'), ['--config', proxyConfig, '--json'], dir);
    children.push(proxy);
    const proxyPort = portOf(await proxy.waitFor(/proxy listening/, options.startTimeoutMs));
    const proxyApi = `http://127.0.0.1:${portOf(await proxy.waitFor(/stats API listening/, options.startTimeoutMs))}`;
    return { pool: { host: '127.0.0.1', port: poolPort }, proxy: { host: '127.0.0.1', port: proxyPort }, proxyApi, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/* ------------------------------------------------------------------ client */

/** A reply to one request, stamped when its line was read. */
interface Reply {
  at: number;
  result: unknown;
  error: unknown;
}

/** A `mining.notify` job with the target bound to it when it arrived. */
interface Job {
  id: string;
  prevhash: string;
  coinb1: string;
  coinb2: string;
  branches: Buffer[];
  version: number;
  nbits: number;
  ntime: string;
  target: bigint;
}

/** Precomputed shares of one job and extranonce2: nonces that meet the job's target. */
interface Supply {
  job: Job;
  extranonce2: string;
  nonces: number[];
  next: number;
}

/** The share target of a difficulty, slightly harder than the server's so that rounding never makes a share miss. */
function targetOf(difficulty: number): bigint {
  const target = (DIFF1 * 10n ** 18n) / BigInt(Math.ceil(difficulty * 1e18));
  return target - (target >> 20n);
}

/**
 * A Stratum v1 miner connection that submits shares it found with the native
 * scanner: subscribe, authorize, then `mining.submit` of precomputed nonces of
 * the newest job. No version rolling.
 */
class BenchClient {
  private buffer = '';
  private nextId = 10;
  private readonly pending = new Map<number, (reply: Reply) => void>();
  private stagedDifficulty: number | undefined;
  private job: Job | undefined;
  private firstJob: (() => void) | undefined;
  private supply: Supply | undefined;
  private extranonce1 = '';
  private extranonce2Size = 0;
  private extranonce2Counter = 0;
  private nonceCursor = 0;
  private refilling: Promise<void> | undefined;
  private closedReason: string | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly worker: string,
    private readonly hasher: BitcoinHasher,
  ) {
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('close', () => this.fail('the connection closed'));
    socket.on('error', (e) => this.fail(e.message));
  }

  /** Connects, subscribes, authorizes and waits for the first job. */
  static async open(host: string, port: number, worker: string, hasher: BitcoinHasher): Promise<BenchClient> {
    const socket = await new Promise<Socket>((done, reject) => {
      const s = connect({ host, port }, () => done(s));
      s.once('error', reject);
    });
    const client = new BenchClient(socket, worker, hasher);
    try {
      await client.handshake();
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  private async handshake(): Promise<void> {
    const firstJob = new Promise<void>((done) => (this.firstJob = done));
    const sub = await this.request('mining.subscribe', ['lode-bench/0.1']);
    if (sub.error !== null || !Array.isArray(sub.result)) throw new Error(`mining.subscribe refused: ${JSON.stringify(sub.error)}`);
    this.extranonce1 = String(sub.result[1]);
    this.extranonce2Size = Number(sub.result[2]);
    const auth = await this.request('mining.authorize', [this.worker, 'x']);
    if (auth.result !== true) throw new Error(`mining.authorize ${this.worker} refused: ${JSON.stringify(auth.error)}`);
    await Promise.race([firstJob, new Promise((_, reject) => setTimeout(() => reject(new Error('no mining.notify within 10 s')), 10_000).unref())]);
  }

  /** Sends one request; the reply is stamped on arrival. */
  request(method: string, params: unknown[]): Promise<Reply> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(`${this.worker}: ${this.closedReason}`));
    const id = this.nextId++;
    return new Promise<Reply>((done) => {
      this.pending.set(id, done);
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** Shares ready to send on the current job. */
  get ready(): number {
    const s = this.supply;
    return s === undefined || s.job !== this.job ? 0 : s.nonces.length - s.next;
  }

  /** Scans until at least `count` shares are ready (off the event loop, on one native thread). */
  async refill(count: number): Promise<void> {
    while (this.ready < count) {
      this.refilling ??= this.scanMore().finally(() => (this.refilling = undefined));
      await this.refilling;
    }
  }

  /** The params of the next mining.submit (scanning first when none is ready). */
  async nextShare(): Promise<unknown[]> {
    if (this.ready === 0) await this.refill(1);
    const s = this.supply as Supply;
    const nonce = s.nonces[s.next++];
    return [this.worker, s.job.id, s.extranonce2, s.job.ntime, nonce.toString(16).padStart(8, '0')];
  }

  close(): void {
    this.closedReason ??= 'closed by the benchmark';
    this.socket.destroy();
  }

  private async scanMore(): Promise<void> {
    const job = this.job as Job;
    if (this.supply === undefined || this.supply.job !== job || this.nonceCursor >= 2 ** 32) {
      // a new job or an exhausted nonce range: a fresh extranonce2
      this.nonceCursor = 0;
      const extranonce2 = (this.extranonce2Counter++).toString(16).padStart(this.extranonce2Size * 2, '0');
      if (extranonce2.length > this.extranonce2Size * 2) throw new Error(`${this.worker}: extranonce2 space of ${this.extranonce2Size} bytes is used up`);
      this.supply = { job, extranonce2, nonces: [], next: 0 };
    }
    const supply = this.supply;
    const coinbase = Buffer.from(job.coinb1 + this.extranonce1 + supply.extranonce2 + job.coinb2, 'hex');
    const header = buildHeader({
      prevhashStratum: job.prevhash,
      version: job.version,
      merkleRoot: merkleRootFromBranches(sha256d(coinbase), job.branches),
      ntime: Number.parseInt(job.ntime, 16),
      nbits: job.nbits,
      nonce: 0,
    });
    const perHit = TWO_256 / (job.target + 1n);
    const count = Math.max(1, Math.min(2 ** 32 - this.nonceCursor, Number(BigInt(HITS_PER_SCAN) * perHit)));
    const result = await this.hasher.scan({ header, startNonce: this.nonceCursor, count, target: job.target, threads: 1 });
    this.nonceCursor += count;
    // drop what was used, keep what is left: the array stays near one scan's hits
    supply.nonces = supply.nonces.slice(supply.next).concat(result.hits.map((h) => h.nonce));
    supply.next = 0;
  }

  private onData(chunk: string): void {
    const at = now();
    this.buffer += chunk;
    let i: number;
    while ((i = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, i);
      this.buffer = this.buffer.slice(i + 1);
      if (line.trim() !== '') this.onLine(line, at);
    }
    if (this.buffer.length > MAX_LINE) {
      this.fail(`a line longer than ${MAX_LINE} bytes`);
      this.socket.destroy();
    }
  }

  private onLine(line: string, at: number): void {
    let msg: { id?: number | null; method?: string; params?: unknown[]; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      this.fail(`the server sent a line that is not JSON: ${line.slice(0, 200)}`);
      this.socket.destroy();
      return;
    }
    if (typeof msg.method === 'string') {
      this.onNotification(msg.method, msg.params ?? []);
      return;
    }
    const done = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined;
    if (done === undefined) return;
    this.pending.delete(msg.id as number);
    done({ at, result: msg.result, error: msg.error ?? null });
  }

  private onNotification(method: string, params: unknown[]): void {
    if (method === 'mining.set_difficulty') {
      // staged: it applies to the next job (DESIGN.md "Difficulty belongs to the job")
      this.stagedDifficulty = Number(params[0]);
    } else if (method === 'mining.notify') {
      const [id, prevhash, coinb1, coinb2, branches, version, nbits, ntime] = params as [string, string, string, string, string[], string, string, string];
      // Stratum v1 starts at difficulty 1 until told otherwise
      const difficulty = this.stagedDifficulty ?? 1;
      this.job = {
        id,
        prevhash,
        coinb1,
        coinb2,
        branches: branches.map((b) => Buffer.from(b, 'hex')),
        version: Number.parseInt(version, 16),
        nbits: Number.parseInt(nbits, 16),
        ntime,
        target: targetOf(difficulty),
      };
      this.firstJob?.();
      this.firstJob = undefined;
    } else if (method === 'mining.set_extranonce') {
      this.extranonce1 = String(params[0]);
      this.extranonce2Size = Number(params[1]);
      this.extranonce2Counter = 0;
      this.supply = undefined;
    }
  }

  private fail(reason: string): void {
    this.closedReason ??= reason;
    const error = { at: now(), result: null, error: [-1, `${this.worker}: ${reason}`, null] };
    for (const done of this.pending.values()) done(error);
    this.pending.clear();
  }
}

/* ------------------------------------------------------------------ measuring */

/** What one phase (one path, one slice of the budget) collected. */
interface Tally {
  rtts: number[];
  accepted: number;
  refused: Record<string, number>;
  seconds: number;
}

const newTally = (): Tally => ({ rtts: [], accepted: 0, refused: {}, seconds: 0 });

/**
 * Runs `inFlight` closed loops per client for `seconds`: send a share, wait for
 * its reply, send the next. Shares are made ready beforehand, so no scan runs
 * inside the window unless a client runs out.
 */
async function phase(clients: BenchClient[], inFlight: number, seconds: number, expectedPerClient: number, tally: Tally): Promise<{ start: number; end: number }> {
  await Promise.all(clients.map((c) => c.refill(Math.ceil(expectedPerClient * 1.5) + 64)));
  const start = now();
  const deadline = start + seconds * 1000;
  const lane = async (client: BenchClient): Promise<void> => {
    while (now() < deadline) {
      const params = await client.nextShare();
      const sent = now();
      const reply = await client.request('mining.submit', params);
      tally.rtts.push(reply.at - sent);
      if (reply.result === true) {
        tally.accepted++;
      } else {
        const [code, message] = Array.isArray(reply.error) ? (reply.error as unknown[]) : [undefined, JSON.stringify(reply.error)];
        const key = `${String(code)} ${String(message).replace(/[0-9a-f]{8,}/g, '…')}`;
        tally.refused[key] = (tally.refused[key] ?? 0) + 1;
        if (code === -1) throw new Error(String(message));
      }
    }
  };
  await Promise.all(clients.flatMap((c) => Array.from({ length: inFlight }, () => lane(c))));
  const end = now();
  tally.seconds += (end - start) / 1000;
  return { start, end };
}

/** The proxy's forward counters, summed over its upstreams (GET /api/upstreams). */
async function forwardCounters(api: string): Promise<{ forwarded: number; accepted: number; rejected: number; failed: number }> {
  const response = await fetch(`${api}/api/upstreams`);
  if (!response.ok) throw new Error(`${api}/api/upstreams answered ${response.status}`);
  const upstreams = (await response.json()) as { shares: { forwarded: number; accepted: number; rejected: number; failed: number } }[];
  const sum = { forwarded: 0, accepted: 0, rejected: 0, failed: 0 };
  for (const u of upstreams) {
    sum.forwarded += u.shares.forwarded;
    sum.accepted += u.shares.accepted;
    sum.rejected += u.shares.rejected;
    sum.failed += u.shares.failed;
  }
  return sum;
}

/** Nearest-rank percentile of ascending values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

function figures(name: string, tally: Tally): PathFigures {
  const sorted = [...tally.rtts].sort((a, b) => a - b);
  const refusedCount = Object.values(tally.refused).reduce((a, b) => a + b, 0);
  return {
    name,
    submitted: tally.accepted + refusedCount,
    accepted: tally.accepted,
    refused: tally.refused,
    seconds: tally.seconds,
    sharesPerSecond: tally.seconds > 0 ? tally.accepted / tally.seconds : 0,
    rtt: {
      samples: sorted.length,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      meanMs: sorted.length > 0 ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN,
      maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN,
    },
  };
}

/**
 * Measures what the Lode proxy adds to a Bitcoin share's round trip, and the
 * shares per second one proxy process forwards, against direct connections
 * to the pool, in the same run.
 *
 * Starts the Bitcoin devnet (`--nbits`, default 1d00ffff, so no block and no
 * stale share during the run), one pool (apps/pool/dist/main.js) and one
 * proxy (apps/proxy/dist/main.js) whose only upstream is that pool, as child
 * processes on loopback, both ports at the same fixed `difficulty` so that
 * every share the proxy accepts is forwarded. Then `connections` clients per
 * path submit shares found beforehand with the native scanner: directly to
 * the pool, and through the proxy, phase after phase in `rounds` rounds (the
 * order alternating) so that a busy machine slows both paths alike.
 *
 * - Round trip: from writing a `mining.submit` to reading its reply, ms. The
 *   proxy replies once its own check accepted the share and forwards it off
 *   that path (pool-engine BlockSubmitter), so the figure via the proxy is one
 *   hop to the proxy and its check, not the pool's answer.
 * - Shares per second: accepted replies over the phases' wall time; for the
 *   proxy also the shares the pool accepted from it (its stats API), over the
 *   time until the pool had answered every forwarded share.
 *
 * A benchmark, never an assertion. Every child process is stopped at the end,
 * also on error.
 *
 * @throws Error when an app is not built, a process does not start, or a
 *   client connection fails
 */
export async function runProxyLatencyBench(options: ProxyLatencyBenchOptions = {}): Promise<ProxyLatencyReport> {
  const seconds = options.seconds ?? 10;
  const rounds = Math.max(1, Math.floor(options.rounds ?? 5));
  const connections = Math.max(1, Math.floor(options.connections ?? 8));
  const inFlight = Math.max(1, Math.floor(options.inFlight ?? 1));
  const warmup = options.warmupSeconds ?? 1;
  const difficulty = options.difficulty ?? 1e-8;
  const stack = await startStack({
    difficulty,
    nbits: options.nbits ?? '1d00ffff',
    startTimeoutMs: options.startTimeoutMs ?? 60_000,
    repoRoot: options.repoRoot ?? resolve(__dirname, '../../..'),
  });
  const clients: BenchClient[] = [];
  try {
    const hasher = createBitcoinHasher();
    const open = async (path: 'direct' | 'proxy', at: { host: string; port: number }): Promise<BenchClient[]> => {
      const opened: BenchClient[] = [];
      for (let i = 0; i < connections; i++) {
        const client = await BenchClient.open(at.host, at.port, `bench.${path}${i}`, hasher);
        clients.push(client);
        opened.push(client);
      }
      return opened;
    };
    const direct = await open('direct', stack.pool);
    const proxied = await open('proxy', stack.proxy);

    const directTally = newTally();
    const proxyTally = newTally();
    const forwarded = { forwarded: 0, accepted: 0, rejected: 0, failed: 0, seconds: 0, maxDrainMs: 0 };
    const phaseSeconds = seconds / rounds;
    // shares each client may need in a phase, learnt from the phases before (first guess: 5000 shares/s per path)
    const expected = { direct: (5000 * phaseSeconds) / connections, proxy: (5000 * phaseSeconds) / connections };
    const learn = (path: 'direct' | 'proxy', tally: Tally, before: number): void => {
      expected[path] = Math.max(expected[path], (tally.rtts.length - before) / connections);
    };

    const runDirect = async (tally: Tally, span: number): Promise<void> => {
      const before = tally.rtts.length;
      await phase(direct, inFlight, span, expected.direct, tally);
      learn('direct', tally, before);
    };
    const runProxy = async (tally: Tally, span: number, count: boolean): Promise<void> => {
      const before = tally.rtts.length;
      const acceptedBefore = tally.accepted;
      const c0 = await forwardCounters(stack.proxyApi);
      const { start, end: lastReply } = await phase(proxied, inFlight, span, expected.proxy, tally);
      // the pool answers forwarded shares after the proxy answered the clients: wait for every answer
      const acceptedByProxy = tally.accepted - acceptedBefore;
      let c1 = await forwardCounters(stack.proxyApi);
      const drainDeadline = lastReply + 30_000;
      while (c1.forwarded - c0.forwarded < acceptedByProxy || c1.accepted + c1.rejected + c1.failed < c1.forwarded) {
        if (now() > drainDeadline) throw new Error(`the proxy forwarded ${c1.forwarded - c0.forwarded} of ${acceptedByProxy} shares, ${c1.forwarded - c1.accepted - c1.rejected - c1.failed} unanswered after 30 s`);
        await new Promise((r) => setTimeout(r, 2));
        c1 = await forwardCounters(stack.proxyApi);
      }
      const drained = now();
      learn('proxy', tally, before);
      if (!count) return;
      forwarded.forwarded += c1.forwarded - c0.forwarded;
      forwarded.accepted += c1.accepted - c0.accepted;
      forwarded.rejected += c1.rejected - c0.rejected;
      forwarded.failed += c1.failed - c0.failed;
      forwarded.seconds += (drained - start) / 1000;
      forwarded.maxDrainMs = Math.max(forwarded.maxDrainMs, drained - lastReply);
    };

    if (warmup > 0) {
      // JIT, connection buffers, first-job caches: paid here, not in the figures
      await runDirect(newTally(), warmup);
      await runProxy(newTally(), warmup, false);
    }
    for (let round = 0; round < rounds; round++) {
      if (round % 2 === 0) {
        await runDirect(directTally, phaseSeconds);
        await runProxy(proxyTally, phaseSeconds, true);
      } else {
        await runProxy(proxyTally, phaseSeconds, true);
        await runDirect(directTally, phaseSeconds);
      }
    }

    const directFigures = figures('direct to the pool', directTally);
    const proxyFigures = figures('via the proxy', proxyTally);
    return {
      connections,
      inFlight,
      rounds,
      difficulty,
      direct: directFigures,
      proxy: proxyFigures,
      forwarded: {
        forwarded: forwarded.forwarded,
        accepted: forwarded.accepted,
        rejected: forwarded.rejected,
        failed: forwarded.failed,
        seconds: forwarded.seconds,
        sharesPerSecond: forwarded.seconds > 0 ? forwarded.accepted / forwarded.seconds : 0,
        maxDrainMs: forwarded.maxDrainMs,
      },
      addedLatency: {
        p50Ms: proxyFigures.rtt.p50Ms - directFigures.rtt.p50Ms,
        p99Ms: proxyFigures.rtt.p99Ms - directFigures.rtt.p99Ms,
      },
    };
  } finally {
    for (const client of clients) client.close();
    await stack.stop();
  }
}

/**
 * The report as text lines: a row per path with round-trip p50 / p99 / mean
 * (ms), accepted shares per second and the ratio to the direct row; the
 * pool's answers to the forwarded shares; the latency the proxy adds; every
 * refused share by its error.
 */
export function formatProxyLatencyReport(report: ProxyLatencyReport): string[] {
  const { direct, proxy, forwarded } = report;
  const ms = (v: number): string => `${v.toFixed(3)} ms`.padStart(11);
  const rate = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(9);
  const ratio = (v: number): string => `x${(v / direct.sharesPerSecond).toPrecision(3)}`;
  const forwardName = 'forwarded by the proxy, accepted by the pool';
  const width = Math.max(direct.name.length, proxy.name.length, forwardName.length);
  const refusals = (p: PathFigures): string[] => Object.entries(p.refused).map(([why, n]) => `  ${p.name}: ${n} refused: ${why}`);
  const refusedTotal = (p: PathFigures): number => p.submitted - p.accepted;
  return [
    `${report.connections} connections x ${report.inFlight} in flight per path, ${report.rounds} interleaved rounds, share difficulty ${report.difficulty}`,
    `${'share round trip (send to reply)'.padEnd(width)}  ${'submits'.padStart(8)}  ${'p50'.padStart(11)}  ${'p99'.padStart(11)}  ${'mean'.padStart(11)}  ${'shares/s'.padStart(9)}  vs direct`,
    `${direct.name.padEnd(width)}  ${String(direct.submitted).padStart(8)}  ${ms(direct.rtt.p50Ms)}  ${ms(direct.rtt.p99Ms)}  ${ms(direct.rtt.meanMs)}  ${rate(direct.sharesPerSecond)}  x1.00`,
    `${proxy.name.padEnd(width)}  ${String(proxy.submitted).padStart(8)}  ${ms(proxy.rtt.p50Ms)}  ${ms(proxy.rtt.p99Ms)}  ${ms(proxy.rtt.meanMs)}  ${rate(proxy.sharesPerSecond)}  ${ratio(proxy.sharesPerSecond)}`,
    `${forwardName.padEnd(width)}  ${String(forwarded.accepted).padStart(8)}  ${''.padStart(11)}  ${''.padStart(11)}  ${''.padStart(11)}  ${rate(forwarded.sharesPerSecond)}  ${ratio(forwarded.sharesPerSecond)}`,
    `added by the proxy: p50 ${report.addedLatency.p50Ms >= 0 ? '+' : ''}${report.addedLatency.p50Ms.toFixed(3)} ms, p99 ${report.addedLatency.p99Ms >= 0 ? '+' : ''}${report.addedLatency.p99Ms.toFixed(3)} ms ` +
      `(the proxy replies after its own check; forwarding to the pool runs off that path)`,
    `forwarded ${forwarded.forwarded}: ${forwarded.accepted} accepted, ${forwarded.rejected} rejected, ${forwarded.failed} unanswered by the pool; ` +
      `longest wait for the pool's answers after the last reply: ${forwarded.maxDrainMs.toFixed(1)} ms`,
    `refused replies: direct ${refusedTotal(direct)}, via the proxy ${refusedTotal(proxy)}`,
    ...refusals(direct),
    ...refusals(proxy),
  ];
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? '10');
  const connections = Number(process.argv[3] ?? '8');
  try {
    const report = await runProxyLatencyBench({
      seconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 10,
      connections: Number.isInteger(connections) && connections > 0 ? connections : 8,
    });
    for (const line of formatProxyLatencyReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`proxy-latency benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  const stop = (): void => process.exit(130);
  // the 'exit' handler of the run kills the child processes
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void main().then(() => process.exit(0));
}
