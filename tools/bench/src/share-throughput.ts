import { createBitcoinHasher, type BitcoinHasher } from '@lode/coin-bitcoin';
import { pinSelf } from './support/bench-child';
import { count, machineLine, progressLog, ratio, table } from './support/format';
import { ChildGroup, startDevnetChild, startPoolChild, type PoolChild } from './support/pool-under-test';
import { readCpuTimes } from './support/proc-stats';
import { startBenchRedis, type BenchRedis } from './support/scratch-redis';
import { ShareClient, ShareTally } from './support/share-client';

/** Options of runShareThroughputBench. */
export interface ShareThroughputBenchOptions {
  /** measured seconds per row, split over the rounds (default 15) */
  seconds?: number;
  /** rounds; each measures every row once, the pools' order alternating (default 3) */
  rounds?: number;
  /** sessions per pool (default 200) */
  sessions?: number;
  /** submits outstanding per session (default 16) */
  inFlight?: number;
  /** unmeasured phase per pool before the rounds, seconds (default 2) */
  warmupSeconds?: number;
  /** share difficulty of the pool port (a difficulty, not a target; default 1e-9: about 4.3 hashes per share to prepare) */
  difficulty?: number;
  /** CPU the pools are pinned to (default 0) */
  poolCpu?: number;
  /** CPU this process (the clients and the baseline loop), the devnet and a scratch redis-server are pinned to (default 1) */
  clientCpu?: number;
  /** measure the pool with the in-memory share log (default true) */
  memoryRow?: boolean;
  /**
   * also measure a pool whose share log (and duplicate index, sessions,
   * job bus) is on Redis: true starts a scratch redis-server, a string is
   * the URL of a running one (keys under a prefix unique to the run, deleted
   * at the end)
   */
  redis?: boolean | string;
  /** wall-time bound of the measuring, seconds (default 600): no phase starts after it */
  maxSeconds?: number;
  /** progress lines (default: none) */
  progress?: (line: string) => void;
  /** write a V8 CPU profile of each pool to this directory when it stops (node --cpu-prof; open it in Chrome DevTools) */
  cpuProfileDir?: string;
}

/** One row measured through a socket: a pool and its share log. */
export interface ThroughputRow {
  /** "Lode pool, in-memory share log" or "Lode pool, Redis share log" */
  name: string;
  /** submits written in the measured windows */
  sent: number;
  /** replies `result: true` read in the measured windows */
  accepted: number;
  /** other replies in the windows */
  rejected: number;
  /** refusals by error ("<code> <message>") */
  reasons: Record<string, number>;
  /** measured wall time, seconds */
  seconds: number;
  /** accepted shares per second of wall time */
  sharesPerSecond: number;
  /** the pool process's user + system CPU time in the windows (/proc/<pid>/stat, 10 ms ticks), seconds */
  poolCpuSeconds: number;
  /** of it, system time (the kernel: syscalls and, on loopback, the TCP path of what the pool sends), seconds */
  poolSystemSeconds: number;
  /** accepted shares per second of the pool's CPU time: the figure per core */
  sharesPerCpuSecond: number;
  /** session-phases that ran out of prepared shares (then the figure is a lower bound) */
  dry: number;
}

/** The in-process baseline: JSON.parse of a submit line and one native SHA-256d per share. */
export interface BaselineRow {
  name: string;
  shares: number;
  /** wall time, seconds */
  seconds: number;
  sharesPerSecond: number;
  /** this process's CPU time in the loop (process.cpuUsage), seconds */
  cpuSeconds: number;
  /** shares per CPU-second: the figure the pools' per-CPU-second rates are compared with */
  sharesPerCpuSecond: number;
}

/** One run. */
export interface ShareThroughputReport {
  baseline: BaselineRow;
  /** the in-memory pool first when measured, then the Redis pool */
  rows: ThroughputRow[];
  sessions: number;
  inFlight: number;
  difficulty: number;
  /** whether taskset pinned the pools and this process */
  pinned: { pools: boolean; client: boolean; poolCpu: number; clientCpu: number };
  /** this process's CPU time over the pool windows, seconds (the clients' cost) */
  clientCpuSeconds: number;
  /** the Redis used, when any */
  redis?: string;
  machine: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A pool under test with its sessions and its running totals. */
interface PoolUnderLoad {
  row: ThroughputRow;
  pool: PoolChild;
  clients: ShareClient[];
  /** accepted shares per second expected, to prepare enough shares for a phase */
  expected: number;
}

async function openClients(pool: PoolChild, sessions: number, inFlight: number, name: string, progress: (line: string) => void): Promise<ShareClient[]> {
  const clients: ShareClient[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < sessions) {
      const i = next++;
      clients.push(await ShareClient.open(pool.host, pool.port, `bench.${name}${i}`, inFlight));
    }
  };
  await Promise.all(Array.from({ length: Math.min(50, sessions) }, lane));
  progress(`${name}: ${clients.length} sessions open`);
  return clients;
}

/** Runs one phase: every client pipelines for `seconds`; counts what the window got, then drains. */
async function phase(target: PoolUnderLoad, hasher: BitcoinHasher, seconds: number, inFlight: number, count: boolean): Promise<void> {
  const perClient = Math.ceil((target.expected * seconds * 1.5) / target.clients.length) + inFlight;
  await Promise.all(target.clients.map((c) => (c.available < perClient ? c.prepare(hasher, perClient) : undefined)));
  const tally = new ShareTally();
  const cpu0 = readCpuTimes(target.pool.child.pid);
  const t0 = performance.now();
  for (const c of target.clients) c.start(tally);
  await sleep(seconds * 1000);
  const accepted = tally.accepted;
  const rejected = tally.rejected;
  const sent = tally.sent;
  const t1 = performance.now();
  const cpu1 = readCpuTimes(target.pool.child.pid);
  for (const c of target.clients) c.stop();
  const drainUntil = performance.now() + 15_000;
  while (target.clients.some((c) => c.outstanding > 0) && performance.now() < drainUntil) await sleep(5);
  const window = (t1 - t0) / 1000;
  target.expected = Math.max(target.expected, accepted / window);
  if (!count) return;
  const row = target.row;
  row.accepted += accepted;
  row.rejected += rejected;
  row.sent += sent;
  row.seconds += window;
  row.poolCpuSeconds += cpu1.user + cpu1.system - cpu0.user - cpu0.system;
  row.poolSystemSeconds += cpu1.system - cpu0.system;
  row.dry += tally.dry;
  for (const [k, v] of tally.reasons) row.reasons[k] = (row.reasons[k] ?? 0) + v;
  row.sharesPerSecond = row.accepted / row.seconds;
  row.sharesPerCpuSecond = row.poolCpuSeconds > 0 ? row.accepted / row.poolCpuSeconds : Number.NaN;
}

/** Sample submit lines, as the clients write them, for the baseline to parse. */
function sampleLines(n: number): string[] {
  return Array.from(
    { length: n },
    (_, i) =>
      `{"method":"mining.submit","params":["bench.memory${i % 200}","${(i % 16).toString(16)}","${(i % 65536).toString(16).padStart(8, '0')}","6650f2c3","${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}"],"id":${1000 + i}}`,
  );
}

/**
 * Measures SHA-256d shares validated per second by one Lode pool process,
 * end to end through a socket (line framing, JSON parse, session and job
 * lookup, coinbase and merkle root, header, native SHA-256d, duplicate index,
 * verdict, share record, reply), and, in the same run:
 *
 * - baseline: a loop in this process of what no pool can skip per share,
 *   `JSON.parse` of a `mining.submit` line and one call of the same native
 *   SHA-256d (`createBitcoinHasher().hash`) on an 80-byte header;
 * - with `redis`: a second pool whose share log, duplicate index, sessions
 *   and job bus are on Redis (pool config `redis`), its ratio to the
 *   in-memory pool.
 *
 * The pools run as child processes (apps/pool/dist/main.js) behind the
 * Bitcoin devnet at nbits 1d00ffff (no block, so no job change during the
 * run), pinned to `poolCpu` with taskset; this process (clients and
 * baseline) is pinned to `clientCpu`. `sessions` sessions per pool each keep
 * `inFlight` submits outstanding, of shares found beforehand with the native
 * scanner; a pool's figure counts the `result: true` replies read during its
 * windows, and its CPU time (/proc/<pid>/stat) over the same windows gives
 * shares per CPU-second. Rounds alternate the rows so that a busy machine
 * slows every row alike.
 *
 * A benchmark, never an assertion.
 *
 * @throws Error when an app is not built, a process does not start, or a session cannot open
 */
export async function runShareThroughputBench(options: ShareThroughputBenchOptions = {}): Promise<ShareThroughputReport> {
  const progress = options.progress ?? (() => undefined);
  const seconds = options.seconds ?? 15;
  const rounds = Math.max(1, Math.floor(options.rounds ?? 3));
  const sessions = Math.max(1, Math.floor(options.sessions ?? 200));
  const inFlight = Math.max(1, Math.floor(options.inFlight ?? 16));
  const warmup = options.warmupSeconds ?? 2;
  const difficulty = options.difficulty ?? 1e-9;
  const poolCpu = options.poolCpu ?? 0;
  const clientCpu = options.clientCpu ?? 1;
  const stopAt = performance.now() + (options.maxSeconds ?? 600) * 1000;
  const machine = machineLine();
  const clientPinned = pinSelf(clientCpu);
  const group = new ChildGroup('lode-bench-shares-');
  let redis: BenchRedis | undefined;
  const targets: PoolUnderLoad[] = [];
  const hasher = createBitcoinHasher();
  const profile = options.cpuProfileDir !== undefined ? { cpuProfileDir: options.cpuProfileDir } : {};
  try {
    const devnet = await startDevnetChild(group, '1d00ffff');
    const newRow = (name: string): ThroughputRow => ({
      name,
      sent: 0,
      accepted: 0,
      rejected: 0,
      reasons: {},
      seconds: 0,
      sharesPerSecond: 0,
      poolCpuSeconds: 0,
      poolSystemSeconds: 0,
      sharesPerCpuSecond: Number.NaN,
      dry: 0,
    });
    if (options.memoryRow ?? true) {
      const pool = await startPoolChild(group, { name: 'pool-memory', rpcUrl: devnet.rpcUrl, difficulty, cpu: poolCpu, ...profile });
      targets.push({ row: newRow('Lode pool, in-memory share log'), pool, clients: await openClients(pool, sessions, inFlight, 'memory', progress), expected: 100_000 });
    }
    if (options.redis !== undefined && options.redis !== false) {
      redis = await startBenchRedis(typeof options.redis === 'string' ? options.redis : undefined);
      progress(redis.description);
      const pool = await startPoolChild(group, { name: 'pool-redis', rpcUrl: devnet.rpcUrl, difficulty, cpu: poolCpu, redis: { url: redis.url, prefix: redis.prefix }, ...profile });
      targets.push({ row: newRow('Lode pool, Redis share log'), pool, clients: await openClients(pool, sessions, inFlight, 'redis', progress), expected: 50_000 });
    }
    if (targets.length === 0) throw new Error('nothing to measure: memoryRow false and no redis');

    // baseline: JSON.parse + native sha256d per share, in this process
    const lines = sampleLines(4096);
    const header = Buffer.alloc(80, 7);
    let sink = 0;
    let k = 0;
    const baseline: BaselineRow = {
      name: 'JSON.parse + native sha256d in-process (baseline)',
      shares: 0,
      seconds: 0,
      sharesPerSecond: 0,
      cpuSeconds: 0,
      sharesPerCpuSecond: 0,
    };
    const runBaseline = (span: number, countIt: boolean): void => {
      const end = performance.now() + span * 1000;
      let shares = 0;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      while (performance.now() < end) {
        for (let i = 0; i < 1024; i++) {
          const msg = JSON.parse(lines[k]) as { params: string[] };
          k = (k + 1) & 4095;
          header.writeUInt32LE(Number.parseInt(msg.params[4], 16), 76);
          sink ^= hasher.hash(header)[31];
        }
        shares += 1024;
      }
      if (!countIt) return;
      const cpu = process.cpuUsage(cpu0);
      baseline.shares += shares;
      baseline.seconds += (performance.now() - t0) / 1000;
      baseline.cpuSeconds += (cpu.user + cpu.system) / 1e6;
      baseline.sharesPerSecond = baseline.shares / baseline.seconds;
      baseline.sharesPerCpuSecond = baseline.shares / baseline.cpuSeconds;
    };

    if (warmup > 0) {
      runBaseline(Math.min(warmup, 1), false);
      for (const t of targets) {
        progress(`${t.row.name}: warm-up ${warmup} s`);
        await phase(t, hasher, warmup, inFlight, false);
      }
    }
    let clientCpuSeconds = 0;
    const span = seconds / rounds;
    for (let round = 0; round < rounds; round++) {
      if (performance.now() > stopAt) {
        progress(`the run's time bound passed after ${round} rounds`);
        break;
      }
      runBaseline(span, true);
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const before = process.cpuUsage();
        await phase(t, hasher, span, inFlight, true);
        const used = process.cpuUsage(before);
        clientCpuSeconds += (used.user + used.system) / 1e6;
        progress(
          `round ${round + 1}/${rounds}: ${t.row.name}: ${count(t.row.sharesPerSecond)} shares/s, ${count(t.row.sharesPerCpuSecond)} per pool CPU-second; ` +
            `baseline ${count(baseline.sharesPerCpuSecond)} per CPU-second`,
        );
      }
    }
    if (sink === 256) progress('unreachable');
    return {
      baseline,
      rows: targets.map((t) => t.row),
      sessions,
      inFlight,
      difficulty,
      pinned: { pools: targets.every((t) => t.pool.child.pinned), client: clientPinned, poolCpu, clientCpu },
      clientCpuSeconds,
      ...(redis !== undefined ? { redis: redis.description } : {}),
      machine,
    };
  } finally {
    for (const t of targets) for (const c of t.clients) c.close();
    await group.stop();
    await redis?.stop();
  }
}

/**
 * The report as text lines: a row per pool (accepted shares, wall seconds,
 * shares/s, pool CPU-seconds, shares per CPU-second, the ratio of shares
 * per CPU-second to the baseline's rate and, for the Redis pool, to the
 * in-memory pool), the baseline row, refusals, and how the run was pinned.
 */
export function formatShareThroughputReport(report: ShareThroughputReport): string[] {
  const { baseline } = report;
  const memory = report.rows.find((r) => r.name.includes('in-memory'));
  const rows: string[][] = [['shares validated (SHA-256d)', 'accepted', 'seconds', 'shares/s', 'pool CPU s (sys)', 'per CPU-second', 'vs baseline', 'vs in-memory']];
  for (const r of report.rows) {
    rows.push([
      r.name,
      count(r.accepted),
      r.seconds.toFixed(1),
      count(r.sharesPerSecond),
      `${r.poolCpuSeconds.toFixed(2)} (${r.poolSystemSeconds.toFixed(2)})`,
      count(r.sharesPerCpuSecond),
      ratio(r.sharesPerCpuSecond / baseline.sharesPerCpuSecond),
      memory !== undefined && r !== memory ? ratio(r.sharesPerCpuSecond / memory.sharesPerCpuSecond) : '',
    ]);
  }
  rows.push([
    baseline.name,
    count(baseline.shares),
    baseline.seconds.toFixed(1),
    count(baseline.sharesPerSecond),
    baseline.cpuSeconds.toFixed(2),
    count(baseline.sharesPerCpuSecond),
    'x1.00',
    '',
  ]);
  const lines = [
    `${report.sessions} sessions x ${report.inFlight} submits in flight per pool, share difficulty ${report.difficulty}; ` +
      `pools ${report.pinned.pools ? `pinned to CPU ${report.pinned.poolCpu}` : 'NOT pinned (no taskset)'}, ` +
      `clients and baseline ${report.pinned.client ? `pinned to CPU ${report.pinned.clientCpu}` : 'NOT pinned'}`,
    ...table(rows),
    `clients' CPU over the pool windows: ${report.clientCpuSeconds.toFixed(1)} s`,
  ];
  for (const r of report.rows) {
    lines.push(`${r.name}: ${count(r.sent)} sent, ${count(r.accepted)} accepted, ${count(r.rejected)} refused in the windows${r.dry > 0 ? `, ${r.dry} session-phases ran out of shares (a lower bound)` : ''}`);
    for (const [why, n] of Object.entries(r.reasons)) lines.push(`  ${count(n)} refused: ${why}`);
  }
  if (report.redis !== undefined) lines.push(report.redis);
  lines.push(report.machine);
  return lines;
}

/** Command-line entry shared by dist/share-throughput.js and dist/share-throughput-redis.js. */
export async function shareThroughputMain(name: string, redis: boolean): Promise<void> {
  // node dist/<name>.js [seconds] [sessions] [in flight] [--cpu-prof <dir>]; REDIS_URL=redis://... uses that Redis instead of a scratch one
  const args = process.argv.slice(2);
  const at = args.indexOf('--cpu-prof');
  const cpuProfileDir = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const [seconds, sessions, inFlight] = args.map(Number);
  const redisUrl = process.env['REDIS_URL'];
  try {
    const report = await runShareThroughputBench({
      ...(Number.isFinite(seconds) && seconds > 0 ? { seconds } : {}),
      ...(Number.isInteger(sessions) && sessions > 0 ? { sessions } : {}),
      ...(Number.isInteger(inFlight) && inFlight > 0 ? { inFlight } : {}),
      ...(redis ? { redis: redisUrl !== undefined && redisUrl !== '' ? redisUrl : true } : {}),
      ...(cpuProfileDir !== undefined ? { cpuProfileDir } : {}),
      progress: progressLog(name),
    });
    for (const line of formatShareThroughputReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`${name} benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  const stop = (): void => process.exit(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void shareThroughputMain('share-throughput', false).then(() => process.exit(0));
}
