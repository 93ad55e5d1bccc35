import type { ProbeReply } from './support/memory-probe';
import { startBareSocketServer } from './support/bare-socket-server';
import type { BenchChild } from './support/bench-child';
import { count, kib, machineLine, mib, progressLog, ratio, table } from './support/format';
import { ChildGroup, startDevnetChild, startPoolChild } from './support/pool-under-test';
import { fdLimitMessage, fdsNeeded, maxSessionsUnder, readFdLimit, readRssBytes, type FdLimit } from './support/proc-stats';
import { SessionSwarm } from './support/session-swarm';

/** Options of runIdleSessionsBench. */
export interface IdleSessionsBenchOptions {
  /** session counts to measure, ascending (default 10,000, 50,000, 100,000) */
  sizes?: number[];
  /**
   * when a size needs more open files than this machine allows, also measure
   * the largest count it does allow (default true)
   */
  fillToLimit?: boolean;
  /** sessions opened before the reference reading (default 200): code compiled, pools warmed */
  warmupSessions?: number;
  /** ms to wait after the last handshake before reading memory (default 2000) */
  settleMs?: number;
  /** handshakes in progress at once (default 256) */
  concurrency?: number;
  /** local addresses sessions bind to in turn; default none up to 25,000 sessions, then 127.0.0.1 ... 127.0.0.k, one per 25,000 */
  localAddresses?: string[];
  /** wall-time bound of the whole run, seconds (default 900): no handshake starts after it */
  maxSeconds?: number;
  /** progress lines (default: none) */
  progress?: (line: string) => void;
  /** write a V8 heap snapshot of the pool at the largest size to this file (where the memory goes) */
  heapSnapshot?: string;
}

/** Memory of a server process at one session count. */
export interface MemoryAt {
  /** sessions held (opened, not closed by the server) */
  sessions: number;
  /** resident set size as it was, before the GC (/proc/<pid>/status VmRSS), bytes */
  rssBytes: number;
  /** after a full GC: rss, heapUsed, external, arrayBuffers (process.memoryUsage), bytes */
  collected: NodeJS.MemoryUsage;
}

/** One server (the Lode pool or the bare-socket baseline) over every size. */
export interface IdleServerFigures {
  /** "Lode pool" or "bare net.Server" */
  name: string;
  /** at the warm-up count: the reference every delta starts from */
  reference: MemoryAt;
  /** one per measured size, ascending */
  points: MemoryAt[];
  /** handshakes that failed, with up to five reasons */
  failed: number;
  failures: string[];
}

/** A size the run could not measure, and why. */
export interface SkippedSize {
  sessions: number;
  reason: string;
}

/** One run: the pool and the baseline at the same sizes. */
export interface IdleSessionsReport {
  lode: IdleServerFigures;
  bare: IdleServerFigures;
  skipped: SkippedSize[];
  fdLimit: FdLimit;
  machine: string;
}

/** Per-session figures of one point against the reference, bytes per session. */
export interface PerSession {
  rss: number;
  rssCollected: number;
  heapUsed: number;
  /** external + arrayBuffers (Buffers: socket read/write buffers held by JS) */
  external: number;
}

/** The memory a point adds to the reference, per session added. */
export function perSession(reference: MemoryAt, point: MemoryAt): PerSession {
  const n = point.sessions - reference.sessions;
  const per = (a: number, b: number): number => (n > 0 ? (a - b) / n : Number.NaN);
  return {
    rss: per(point.rssBytes, reference.rssBytes),
    rssCollected: per(point.collected.rss, reference.collected.rss),
    heapUsed: per(point.collected.heapUsed, reference.collected.heapUsed),
    external: per(point.collected.external + point.collected.arrayBuffers, reference.collected.external + reference.collected.arrayBuffers),
  };
}

/**
 * 127.0.0.1 ... 127.0.0.k, one address per 25,000 sessions (each gives
 * ~28,000 ephemeral ports); none (undefined) up to 25,000, where binding a
 * local address first would only slow every connect (the kernel's port
 * search for bind() walks the ports in use).
 */
export function loopbackAddresses(sessions: number): string[] | undefined {
  if (sessions <= 25_000) return undefined;
  const k = Math.ceil(sessions / 25_000);
  return Array.from({ length: k }, (_, i) => `127.0.0.${i + 1}`);
}

/**
 * The sizes a run can measure under an open-files limit: those that fit,
 * plus (with `fillToLimit`) the largest count that fits when some do not;
 * and the skipped ones with the reason.
 */
export function plannedSizes(sizes: number[], limit: FdLimit, fillToLimit: boolean): { sizes: number[]; skipped: SkippedSize[] } {
  const cap = maxSessionsUnder(limit.hard);
  const fit = sizes.filter((s) => fdsNeeded(s) <= limit.hard);
  const skipped = sizes.filter((s) => fdsNeeded(s) > limit.hard).map((s) => ({ sessions: s, reason: fdLimitMessage(s, limit) }));
  if (fillToLimit && skipped.length > 0 && cap > 0 && !fit.includes(cap) && cap > Math.max(0, ...fit)) fit.push(cap);
  return { sizes: fit.sort((a, b) => a - b), skipped };
}

async function readMemory(child: BenchChild, sessions: number): Promise<MemoryAt> {
  const rssBytes = readRssBytes(child.pid);
  const reply: ProbeReply = await child.memory(60_000);
  if (!reply.collected) throw new Error(`${child.name} ran without --expose-gc: no full GC before the reading`);
  return { sessions, rssBytes, collected: reply.usage };
}

/**
 * Measures the resident memory one server process needs per idle Stratum V1
 * session, for the Lode pool and, in the same run, for a bare `net.Server`
 * holding the same number of sockets (support/bare-socket-server.ts: the
 * least a server can hold per connection), at each size.
 *
 * Each server runs as a child process (the pool: apps/pool/dist/main.js
 * behind the Bitcoin devnet, one port at a fixed difficulty) with a memory
 * probe (node --expose-gc and an IPC hook preloaded; the pool's code is not
 * changed). This process opens the sessions on loopback: each subscribes
 * and authorizes and waits for its first job, then stays silent. After
 * `warmupSessions` sessions the reference is read; then sessions are added
 * up to each size and, after `settleMs`, memory is read twice: VmRSS as it
 * is (/proc/<pid>/status), and process.memoryUsage() after a full GC. Per
 * session = (reading - reference) / (sessions - warm-up sessions).
 *
 * Every session needs one open file in the server and one here: sizes above
 * the hard limit (`ulimit -Hn`, which node already raises its soft limit to,
 * and which no child can exceed) are skipped with a message that says how to
 * raise it, and the largest size that fits is measured instead.
 *
 * A benchmark, never an assertion.
 *
 * @throws Error when an app is not built or a process does not start
 */
export async function runIdleSessionsBench(options: IdleSessionsBenchOptions = {}): Promise<IdleSessionsReport> {
  const progress = options.progress ?? (() => undefined);
  const fdLimit = readFdLimit('self');
  const { sizes, skipped } = plannedSizes(options.sizes ?? [10_000, 50_000, 100_000], fdLimit, options.fillToLimit ?? true);
  for (const s of skipped) progress(`skipping ${count(s.sessions)} sessions: ${s.reason}`);
  const warmup = options.warmupSessions ?? 200;
  const settleMs = options.settleMs ?? 2000;
  const stopAt = performance.now() + (options.maxSeconds ?? 900) * 1000;
  const largest = Math.max(warmup, ...sizes);
  const localAddresses = options.localAddresses ?? loopbackAddresses(largest);
  const group = new ChildGroup('lode-bench-idle-');
  const machine = machineLine();

  const measure = async (name: string, start: () => Promise<{ child: BenchChild; host: string; port: number }>): Promise<IdleServerFigures> => {
    const server = await start();
    const swarm = new SessionSwarm();
    let failed = 0;
    const failures: string[] = [];
    const openTo = async (target: number): Promise<void> => {
      const result = await swarm.open(target - swarm.size, {
        host: server.host,
        port: server.port,
        ...(localAddresses !== undefined ? { localAddresses } : {}),
        concurrency: options.concurrency ?? 256,
        stopAt,
        progress: (open, f) => progress(`${name}: ${count(open)} of ${count(target)} sessions open, ${count(failed + f)} failed`),
      });
      failed += result.failed;
      for (const f of result.failures) if (failures.length < 5) failures.push(f);
      progress(`${name}: ${count(swarm.size)} sessions open (${result.opened} in ${result.seconds.toFixed(1)} s), ${count(failed)} failed`);
    };
    try {
      await openTo(warmup);
      await new Promise((r) => setTimeout(r, settleMs));
      const reference = await readMemory(server.child, swarm.size);
      const points: MemoryAt[] = [];
      for (const size of sizes) {
        if (performance.now() > stopAt) {
          progress(`${name}: the run's time bound passed, ${count(size)} sessions not measured`);
          break;
        }
        await openTo(size);
        await new Promise((r) => setTimeout(r, settleMs));
        const point = await readMemory(server.child, swarm.size);
        points.push(point);
        if (options.heapSnapshot !== undefined && name === 'Lode pool' && size === sizes[sizes.length - 1]) {
          const written = await server.child.request<{ path: string }>('heap-snapshot', { path: options.heapSnapshot }, 300_000);
          progress(`${name}: heap snapshot written to ${written.path}`);
        }
        const per = perSession(reference, point);
        progress(`${name}: ${count(point.sessions)} sessions, RSS ${mib(point.rssBytes)}, ${kib(per.rss)} per session (${kib(per.rssCollected)} after GC)`);
      }
      return { name, reference, points, failed, failures };
    } finally {
      swarm.closeAll();
      await server.child.stop();
    }
  };

  try {
    const lode = await measure('Lode pool', async () => {
      const devnet = await startDevnetChild(group, '1d00ffff');
      const pool = await startPoolChild(group, { rpcUrl: devnet.rpcUrl, difficulty: 1, probe: true });
      return pool;
    });
    const bare = await measure('bare net.Server', () => startBareSocketServer(group));
    return { lode, bare, skipped, fdLimit, machine };
  } finally {
    await group.stop();
  }
}

/**
 * The report as text lines: per size, the sessions each server held, its
 * resident memory and the memory per session (as is, and after a full GC,
 * with the V8 heap's and the Buffers' part), and the ratio Lode / bare of
 * the per-session RSS after GC.
 */
export function formatIdleSessionsReport(report: IdleSessionsReport): string[] {
  const rows: string[][] = [
    ['sessions', 'server', 'held', 'RSS', 'per session', 'after GC', 'of it heap', 'of it buffers', 'vs bare (after GC)'],
  ];
  const { lode, bare } = report;
  for (let i = 0; i < Math.max(lode.points.length, bare.points.length); i++) {
    for (const server of [lode, bare]) {
      const point = server.points[i];
      if (point === undefined) continue;
      const per = perSession(server.reference, point);
      const other = bare.points[i];
      const vs = server === lode && other !== undefined ? ratio(per.rssCollected / perSession(bare.reference, other).rssCollected) : server === bare ? 'x1.00' : '-';
      const target = lode.points[i]?.sessions ?? point.sessions;
      rows.push([count(target), server.name, count(point.sessions), mib(point.rssBytes), kib(per.rss), kib(per.rssCollected), kib(per.heapUsed), kib(per.external), vs]);
    }
  }
  const lines = [
    'idle Stratum V1 sessions held by one process (subscribed, authorized, first job sent), memory added per session over the warm-up reference',
    ...table(rows),
    `references (${count(lode.reference.sessions)} sessions): Lode pool RSS ${mib(lode.reference.rssBytes)}, bare net.Server RSS ${mib(bare.reference.rssBytes)}`,
    `failed handshakes: Lode pool ${lode.failed}, bare net.Server ${bare.failed}`,
    ...[...lode.failures, ...bare.failures].map((f) => `  ${f}`),
    ...report.skipped.map((s) => `not measured: ${count(s.sessions)} sessions. ${s.reason}`),
    report.machine,
  ];
  return lines;
}

function parseSizes(arg: string | undefined): number[] | undefined {
  if (arg === undefined) return undefined;
  const sizes = arg.split(',').map((s) => Number(s.replace(/[_k]/g, (c) => (c === 'k' ? '000' : ''))));
  return sizes.every((s) => Number.isInteger(s) && s > 0) ? sizes : undefined;
}

async function main(): Promise<void> {
  // node dist/idle-sessions.js [sizes, e.g. 10000,50000,100000 or 10k,50k] [--heap-snapshot <file>]
  const args = process.argv.slice(2);
  const snapshotAt = args.indexOf('--heap-snapshot');
  const heapSnapshot = snapshotAt >= 0 ? args.splice(snapshotAt, 2)[1] : undefined;
  const sizes = parseSizes(args[0]);
  try {
    const report = await runIdleSessionsBench({
      ...(sizes !== undefined ? { sizes } : {}),
      ...(heapSnapshot !== undefined ? { heapSnapshot } : {}),
      progress: progressLog('idle-sessions'),
    });
    for (const line of formatIdleSessionsReport(report)) console.log(line);
  } catch (error) {
    // A benchmark reports; it never fails a build.
    console.log(`idle-sessions benchmark could not run: ${error instanceof Error ? error.message : String(error)}`);
  }
}

if (require.main === module) {
  const stop = (): void => process.exit(130);
  // the group's 'exit' handler kills the child processes
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void main().then(() => process.exit(0));
}
