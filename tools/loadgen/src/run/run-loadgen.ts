import { parseStratumUrl } from '@lode/stratum-core';
import type { DialectDriver } from '../dialects/dialect-driver';
import { SHARE_KINDS } from '../mix/share-kind';
import type { LoadgenOptions } from '../options/loadgen-options';
import { buildReport, type LoadgenReport } from '../report/loadgen-report';
import { LoadSession } from '../session/load-session';
import { LoadStats } from '../stats/load-stats';
import { createDriver } from './create-driver';

/** Handshakes in progress at once, at most (a ramp faster than the pool answers does not pile up connections). */
const MAX_OPENING = 1000;
/** How often sessions are opened during ramp-up, and timeouts swept, ms. */
const RAMP_TICK_MS = 10;
const SWEEP_MS = 100;
const PROGRESS_MS = 1000;

/** What a caller can watch and control while a run goes. */
export interface RunHooks {
  /** one progress line per second (the CLI writes them to stderr) */
  progress?: (line: string) => void;
  /** ends the run early (SIGINT): sending stops, the last replies are waited for, the report is built */
  signal?: AbortSignal;
  /** a driver to use instead of the dialect's own (tests) */
  driver?: DialectDriver;
}

const now = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the load generator: opens `sessions` simulated miners on the pool at
 * `rampPerSecond`, has each send `sharesPerSecond` shares of the mix's
 * kinds, stops sending after `durationSeconds` (ramp-up included), waits
 * for the last replies (at most `replyTimeoutMs`), closes every session and
 * reports (see LoadgenReport; `ok` false when a session failed, a reply was
 * missing or wrong, or one answered no request).
 *
 * Bounded in count (`maxSessions`, `maxInFlight` per session, 1,000
 * handshakes at once) and in time (duration + reply timeout + 1 s); memory
 * is fixed per session and for the counters.
 *
 * @param options checked options (resolveLoadgenOptions)
 * @param hooks progress lines, an abort signal
 * @throws Error when the dialect cannot make a kind the mix asks for, or its
 *   native hasher is not built; connection failures are counted, not thrown
 */
export async function runLoadgen(options: LoadgenOptions, hooks: RunHooks = {}): Promise<LoadgenReport> {
  const { host, port, tls } = parseStratumUrl(options.url);
  const driver = hooks.driver ?? createDriver(options.dialect, options.url);
  const unsupported = SHARE_KINDS.filter((k) => options.mix[k] > 0 && !driver.kinds.has(k));
  if (unsupported.length > 0) {
    throw new Error(`the ${driver.name} driver cannot make ${unsupported.join(', ')} shares; it makes ${[...driver.kinds].join(', ')}`);
  }
  const stats = new LoadStats();
  const sessions: LoadSession[] = [];
  const opening = new Set<Promise<void>>();
  const cpu0 = process.cpuUsage();
  const t0 = now();
  const endAt = t0 + options.durationSeconds * 1000;
  let sending = true;

  const openOne = (index: number): void => {
    const localAddress = options.localAddresses.length > 0 ? options.localAddresses[index % options.localAddresses.length] : undefined;
    const session = new LoadSession(
      index,
      driver,
      {
        host,
        port,
        tls,
        ...(localAddress !== undefined ? { localAddress } : {}),
        user: options.user,
        password: options.password,
        replyTimeoutMs: options.replyTimeoutMs,
        maxInFlight: options.maxInFlight,
        sharesPerSecond: options.sharesPerSecond,
        mix: options.mix,
        versionRolling: options.versionRolling,
      },
      stats,
    );
    sessions.push(session);
    stats.sessions.started += 1;
    const p = session.open().then(
      () => {
        stats.sessions.opened += 1;
        stats.sessions.open += 1;
        stats.sessions.peakOpen = Math.max(stats.sessions.peakOpen, stats.sessions.open);
        if (sending) session.startSending();
      },
      (e: unknown) => {
        stats.sessions.failed += 1;
        stats.sessionFailures.add((e instanceof Error ? e.message : String(e)).replace(/^session \d+: /, ''));
        session.close();
      },
    );
    const tracked = p.finally(() => opening.delete(tracked));
    opening.add(tracked);
  };

  const ramp = setInterval(() => {
    if (!sending) return;
    const due = Math.min(options.sessions, Math.floor(((now() - t0) / 1000) * options.rampPerSecond) + 1);
    while (stats.sessions.started < due && opening.size < MAX_OPENING) openOne(stats.sessions.started);
  }, RAMP_TICK_MS);
  const sweep = setInterval(() => {
    const at = now();
    for (const s of sessions) s.sweep(at);
    stats.sessions.open = stats.sessions.opened - stats.sessions.closedByPool;
  }, SWEEP_MS);
  let peakRss = process.memoryUsage.rss();
  let lastSent = 0;
  let lastReplies = 0;
  let lastAt = t0;
  const progress = setInterval(() => {
    const at = now();
    const dt = (at - lastAt) / 1000;
    const totals = stats.totals();
    const line =
      `loadgen ${((at - t0) / 1000).toFixed(0).padStart(4)}s  sessions ${stats.sessions.open} open, ${stats.sessions.failed} failed  ` +
      `shares ${Math.round((stats.sharesWritten - lastSent) / dt)}/s  replies ${Math.round((stats.shareReplies - lastReplies) / dt)}/s  ` +
      `p99 ${stats.windowLatency.count > 0 ? `${stats.windowLatency.percentile(0.99).toFixed(2)} ms` : '-'}  ` +
      `wrong ${totals.wrong}  missing ${totals.missing}`;
    lastSent = stats.sharesWritten;
    lastReplies = stats.shareReplies;
    lastAt = at;
    stats.windowLatency.reset();
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    hooks.progress?.(line);
  }, PROGRESS_MS);

  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, endAt - now()));
      hooks.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
    sending = false;
    const sendEnd = now();
    clearInterval(ramp);
    for (const s of sessions) s.stopSending();
    // drain: the last replies, handshakes still running, refusals waiting for a clean-jobs notify
    const drainLimit = sendEnd + options.replyTimeoutMs + 500;
    while (now() < drainLimit && (opening.size > 0 || sessions.some((s) => !s.closed && s.outstanding > 0))) await sleep(20);
    if (opening.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...opening]), new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, drainLimit - now()))))]);
      clearTimeout(timer);
    }
    const drainEnd = now();
    for (const s of sessions) s.sweep(drainEnd + options.replyTimeoutMs);
    const cpu = process.cpuUsage(cpu0);
    return buildReport(options, driver.title, stats, {
      seconds: (sendEnd - t0) / 1000,
      drainSeconds: (drainEnd - sendEnd) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMiB: Math.max(peakRss, process.memoryUsage.rss()) / 2 ** 20,
    });
  } finally {
    clearInterval(ramp);
    clearInterval(sweep);
    clearInterval(progress);
    for (const s of sessions) s.close();
  }
}
