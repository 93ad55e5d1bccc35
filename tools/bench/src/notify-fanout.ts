import { loopbackAddresses, plannedSizes, type SkippedSize } from './idle-sessions';
import { startBareSocketServer } from './support/bare-socket-server';
import { pinSelf } from './support/bench-child';
import { mineDevnetBlock } from './support/devnet-block';
import { count, machineLine, ms, progressLog, ratio, table } from './support/format';
import { summarize, type Summary } from './support/percentile';
import { ChildGroup, startDevnetChild, startPoolChild } from './support/pool-under-test';
import { readCpuTimes, readFdLimit, type FdLimit } from './support/proc-stats';
import { promSum, scrape } from './support/prom-text';
import { SessionSwarm, type SwarmArrivals } from './support/session-swarm';

/** Options of runNotifyFanoutBench. */
export interface NotifyFanoutBenchOptions {
  /** session counts, ascending (default 1,000, 10,000, 50,000) */
  sizes?: number[];
  /** new blocks (jobs) timed per size (default 20) */
  blocks?: number;
  /** when a size needs more open files than this machine allows, also measure the largest count it does allow (default true) */
  fillToLimit?: boolean;
  /** ms between blocks (default 300): the previous job's writes have drained */
  pauseMs?: number;
  /** handshakes in progress at once (default 256) */
  concurrency?: number;
  /** CPU the pool and the bare server are pinned to (default 0) */
  serverCpu?: number;
  /** CPU this process (the sessions) and the devnet are pinned to (default 1) */
  clientCpu?: number;
  /** wall-time bound of the run, seconds (default 900): no block or handshake starts after it */
  maxSeconds?: number;
  /** progress lines (default: none) */
  progress?: (line: string) => void;
  /** write a V8 CPU profile of the pool to this directory when it stops (node --cpu-prof) */
  cpuProfileDir?: string;
}

/** One size, one server, over every block. */
export interface FanoutPoint {
  /** sessions open when the jobs went out */
  sessions: number;
  /** blocks (jobs) timed */
  jobs: number;
  /**
   * the server's own time, ms: for the pool `lode_pool_notify_fanout_seconds`
   * of each job (JobManager, from the template in hand to the last session's
   * write), read exactly from the histogram's `_sum` before and after it;
   * for the bare server its write loop
   */
  server: Summary;
  /**
   * from the trigger to the last session here having read the job, ms: for
   * the pool, from `submitblock` sent to the devnet (so it includes the
   * devnet's block check, the long poll's answer and the pool's template
   * work); for the bare server, from the IPC request
   */
  lastArrival: Summary;
  /** from the trigger to the first session having read it, ms */
  firstArrival: Summary;
  /** jobs some session did not receive within 30 s */
  incomplete: number;
  /**
   * the server process's CPU time per job (/proc/<pid>/stat, 10 ms ticks,
   * from the trigger to the last arrival), ms: user (JavaScript, JSON) and
   * system (the kernel: one write syscall per session and, on loopback, the
   * receiving side's TCP work too)
   */
  cpuPerJob: { userMs: number; systemMs: number };
}

/** One run. */
export interface NotifyFanoutReport {
  lode: FanoutPoint[];
  bare: FanoutPoint[];
  skipped: SkippedSize[];
  fdLimit: FdLimit;
  /** bytes of the job line (the pool's mining.notify; the bare server writes the same line) */
  notifyBytes: number;
  pinned: { server: boolean; client: boolean; serverCpu: number; clientCpu: number };
  machine: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function point(sessions: number, server: number[], last: number[], first: number[], incomplete: number, cpu: { user: number; system: number }): FanoutPoint {
  const jobs = Math.max(1, server.length);
  return {
    sessions,
    jobs: server.length,
    server: summarize(server),
    lastArrival: summarize(last),
    firstArrival: summarize(first),
    incomplete,
    cpuPerJob: { userMs: (cpu.user * 1000) / jobs, systemMs: (cpu.system * 1000) / jobs },
  };
}

/**
 * Measures notify fan-out: the time from a new job to the last of N idle
 * Stratum V1 sessions having it, for the Lode pool and, in the same run, for
 * a bare `net.Server` writing the same `mining.notify` line to the same
 * number of sockets (support/bare-socket-server.ts).
 *
 * The pool (apps/pool/dist/main.js, pinned to `serverCpu`) runs behind the
 * Bitcoin devnet at nbits 207fffff; this process (pinned to `clientCpu`)
 * holds the sessions and makes each new job by mining a block itself
 * (getblocktemplate, coinbase, native scan, `submitblock`); the devnet
 * answers the pool's long poll, the pool builds a clean job and writes it to
 * every session. Per job, two figures: the pool's own
 * `lode_pool_notify_fanout_seconds` observation (exact, from the histogram's
 * sum) and, on this side, from `submitblock` sent to the last session having
 * read the notify. The bare server gets the pool's notify line by IPC and
 * writes it to every socket; same two figures. p50 / p99 over `blocks` jobs
 * (nearest rank: with 20 jobs p99 is the slowest).
 *
 * The last-arrival figure includes this process reading N sockets (a
 * `data` event each), on the client's core: it is the same for both
 * servers, so the ratio holds, but the server figure is the pool's own cost.
 *
 * Sizes above the open-files limit are skipped with a message (as in
 * runIdleSessionsBench). A benchmark, never an assertion.
 *
 * @throws Error when an app is not built or a process does not start
 */
export async function runNotifyFanoutBench(options: NotifyFanoutBenchOptions = {}): Promise<NotifyFanoutReport> {
  const progress = options.progress ?? (() => undefined);
  const fdLimit = readFdLimit('self');
  const { sizes, skipped } = plannedSizes(options.sizes ?? [1000, 10_000, 50_000], fdLimit, options.fillToLimit ?? true);
  for (const s of skipped) progress(`skipping ${count(s.sessions)} sessions: ${s.reason}`);
  const blocks = Math.max(1, Math.floor(options.blocks ?? 20));
  const pauseMs = options.pauseMs ?? 300;
  const serverCpu = options.serverCpu ?? 0;
  const clientCpu = options.clientCpu ?? 1;
  const stopAt = performance.now() + (options.maxSeconds ?? 900) * 1000;
  const machine = machineLine();
  const clientPinned = pinSelf(clientCpu);
  const localAddresses = loopbackAddresses(Math.max(...sizes, 1));
  const group = new ChildGroup('lode-bench-fanout-');
  const swarm = new SessionSwarm();
  const openTo = async (name: string, host: string, port: number, target: number): Promise<void> => {
    const result = await swarm.open(target - swarm.size, {
      host,
      port,
      ...(localAddresses !== undefined ? { localAddresses } : {}),
      concurrency: options.concurrency ?? 256,
      stopAt,
      progress: (open, failed) => progress(`${name}: ${count(open)} of ${count(target)} sessions open, ${failed} failed`),
    });
    progress(`${name}: ${count(swarm.size)} sessions open${result.failed > 0 ? `, ${result.failed} failed: ${result.failures[0]}` : ''}`);
  };
  const lode: FanoutPoint[] = [];
  const bare: FanoutPoint[] = [];
  let serverPinned = true;
  try {
    const devnet = await startDevnetChild(group, '207fffff');
    const pool = await startPoolChild(group, {
      rpcUrl: devnet.rpcUrl,
      difficulty: 1,
      cpu: serverCpu,
      ...(options.cpuProfileDir !== undefined ? { cpuProfileDir: options.cpuProfileDir } : {}),
    });
    serverPinned &&= pool.child.pinned;
    const fanoutSum = async (): Promise<{ sum: number; n: number }> => {
      const text = await scrape(pool.metricsUrl);
      return { sum: promSum(text, 'lode_pool_notify_fanout_seconds_sum', { coin: 'btc' }), n: promSum(text, 'lode_pool_notify_fanout_seconds_count', { coin: 'btc' }) };
    };
    for (const size of sizes) {
      if (performance.now() > stopAt) break;
      await openTo('Lode pool', pool.host, pool.port, size);
      const server: number[] = [];
      const last: number[] = [];
      const first: number[] = [];
      let incomplete = 0;
      const cpu = { user: 0, system: 0 };
      for (let b = 0; b < blocks && performance.now() < stopAt; b++) {
        const before = await fanoutSum();
        const armed = swarm.arm();
        const cpu0 = readCpuTimes(pool.child.pid);
        const block = await mineDevnetBlock(devnet.rpcUrl);
        const arrivals: SwarmArrivals = await armed.wait(30_000);
        const cpu1 = readCpuTimes(pool.child.pid);
        cpu.user += cpu1.user - cpu0.user;
        cpu.system += cpu1.system - cpu0.system;
        let after = await fanoutSum();
        for (let tries = 0; after.n <= before.n && tries < 100; tries++) {
          await sleep(20);
          after = await fanoutSum();
        }
        if (after.n > before.n) server.push(((after.sum - before.sum) / (after.n - before.n)) * 1000);
        if (arrivals.received < arrivals.expected) incomplete++;
        else {
          last.push(arrivals.lastAt - block.sentAt);
          first.push(arrivals.firstAt - block.sentAt);
        }
        await sleep(pauseMs);
      }
      const p = point(swarm.size, server, last, first, incomplete, cpu);
      lode.push(p);
      progress(`Lode pool, ${count(p.sessions)} sessions: fan-out p50 ${ms(p.server.p50)}, p99 ${ms(p.server.p99)}; last session p99 ${ms(p.lastArrival.p99)}`);
    }
    const line = swarm.sampleNotify ?? '';
    swarm.closeAll();
    await pool.child.stop();

    const server = await startBareSocketServer(group, serverCpu);
    serverPinned &&= server.child.pinned;
    for (const size of sizes) {
      if (performance.now() > stopAt) break;
      await openTo('bare net.Server', server.host, server.port, size);
      const own: number[] = [];
      const last: number[] = [];
      const first: number[] = [];
      let incomplete = 0;
      const cpu = { user: 0, system: 0 };
      for (let b = 0; b < blocks && performance.now() < stopAt; b++) {
        const armed = swarm.arm();
        const cpu0 = readCpuTimes(server.child.pid);
        const t0 = performance.now();
        const reply = await server.fanout(line);
        const arrivals = await armed.wait(30_000);
        const cpu1 = readCpuTimes(server.child.pid);
        cpu.user += cpu1.user - cpu0.user;
        cpu.system += cpu1.system - cpu0.system;
        own.push(reply.seconds * 1000);
        if (arrivals.received < arrivals.expected) incomplete++;
        else {
          last.push(arrivals.lastAt - t0);
          first.push(arrivals.firstAt - t0);
        }
        await sleep(pauseMs);
      }
      const p = point(swarm.size, own, last, first, incomplete, cpu);
      bare.push(p);
      progress(`bare net.Server, ${count(p.sessions)} sockets: write loop p50 ${ms(p.server.p50)}, p99 ${ms(p.server.p99)}; last socket p99 ${ms(p.lastArrival.p99)}`);
    }
    return {
      lode,
      bare,
      skipped,
      fdLimit,
      notifyBytes: Buffer.byteLength(line) + 1,
      pinned: { server: serverPinned, client: clientPinned, serverCpu, clientCpu },
      machine,
    };
  } finally {
    swarm.closeAll();
    await group.stop();
  }
}

/**
 * The report as text lines: per size, for the pool and the bare server, the
 * server's own fan-out time and the last session's arrival, p50 and p99,
 * and the ratios pool / bare.
 */
export function formatNotifyFanoutReport(report: NotifyFanoutReport): string[] {
  const rows: string[][] = [
    ['sessions', 'server', 'jobs', 'server p50', 'server p99', 'last session p50', 'last session p99', 'first session p50', 'CPU/job user+sys', 'server p99 vs bare', 'last p99 vs bare'],
  ];
  const cpu = (p: FanoutPoint): string => `${p.cpuPerJob.userMs.toFixed(0)}+${p.cpuPerJob.systemMs.toFixed(0)} ms`;
  for (let i = 0; i < report.lode.length; i++) {
    const l = report.lode[i];
    const b = report.bare[i];
    rows.push([
      count(l.sessions),
      'Lode pool',
      String(l.jobs),
      ms(l.server.p50),
      ms(l.server.p99),
      ms(l.lastArrival.p50),
      ms(l.lastArrival.p99),
      ms(l.firstArrival.p50),
      cpu(l),
      b !== undefined ? ratio(l.server.p99 / b.server.p99) : '-',
      b !== undefined ? ratio(l.lastArrival.p99 / b.lastArrival.p99) : '-',
    ]);
    if (b !== undefined) {
      rows.push([
        count(b.sessions),
        'bare net.Server',
        String(b.jobs),
        ms(b.server.p50),
        ms(b.server.p99),
        ms(b.lastArrival.p50),
        ms(b.lastArrival.p99),
        ms(b.firstArrival.p50),
        cpu(b),
        'x1.00',
        'x1.00',
      ]);
    }
  }
  const incomplete = [...report.lode, ...report.bare].filter((p) => p.incomplete > 0);
  return [
    `notify fan-out: a new job (${report.notifyBytes} bytes of mining.notify) to every idle Stratum V1 session; ` +
      `servers ${report.pinned.server ? `pinned to CPU ${report.pinned.serverCpu}` : 'NOT pinned'}, sessions ${report.pinned.client ? `pinned to CPU ${report.pinned.clientCpu}` : 'NOT pinned'}`,
    'server: the pool\'s lode_pool_notify_fanout_seconds (template in hand -> last session written) / the bare write loop; ' +
      'last session: submitblock sent to the devnet (pool) or IPC request (bare) -> the last session here read the line',
    ...table(rows),
    ...incomplete.map((p) => `${p.incomplete} jobs did not reach all ${count(p.sessions)} sessions within 30 s`),
    ...report.skipped.map((s) => `not measured: ${count(s.sessions)} sessions. ${s.reason}`),
    report.machine,
  ];
}

async function main(): Promise<void> {
  // node dist/notify-fanout.js [sizes, e.g. 1000,10000,50000 or 1k,10k] [blocks] [--cpu-prof <dir>]
  const args = process.argv.slice(2);
  const at = args.indexOf('--cpu-prof');
  const cpuProfileDir = at >= 0 ? args.splice(at, 2)[1] : undefined;
  const sizes = args[0]
    ?.split(',')
    .map((s) => Number(s.replace(/k$/, '000').replace(/_/g, '')))
    .filter((s) => Number.isInteger(s) && s > 0);
  const blocks = Number(args[1]);
  try {
    const report = await runNotifyFanoutBench({
      ...(sizes !== undefined && sizes.length > 0 ? { sizes } : {}),
      ...(Number.isInteger(blocks) && blocks > 0 ? { blocks } : {}),
      ...(cpuProfileDir !== undefined ? { cpuProfileDir } : {}),
      progress: progressLog('notify-fanout'),
    });
    for (const line of formatNotifyFanoutReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`notify-fanout benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  const stop = (): void => process.exit(130);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void main().then(() => process.exit(0));
}
