import type { DialectName } from '../dialects/dialect-driver';
import { formatShareMix } from '../mix/parse-share-mix';
import { SHARE_KINDS, type ShareKind } from '../mix/share-kind';
import type { LoadgenOptions } from '../options/loadgen-options';
import type { KindTally, LoadStats } from '../stats/load-stats';
import type { LatencyHistogram } from '../stats/latency-histogram';

/** Percentiles of a latency histogram, ms (NaN, written as null in JSON, when empty). */
export interface LatencyFigures {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** What one run did; `ok` is the verdict the exit code follows. */
export interface LoadgenReport {
  url: string;
  dialect: DialectName;
  /** e.g. "Bitcoin stratum V1" */
  dialectTitle: string;
  options: {
    sessions: number;
    maxSessions: number;
    rampPerSecond: number;
    sharesPerSecond: number;
    /** `valid=70,low-difficulty=10,...` */
    mix: string;
    durationSeconds: number;
    replyTimeoutMs: number;
    versionRolling: boolean;
  };
  /** from the first connection to the end of sending, s */
  seconds: number;
  /** from the end of sending until the last reply (or the reply timeout), s */
  drainSeconds: number;
  /** CPU time the load generator process itself used during the run (user + system), s: near `seconds` means it, not the pool, was the limit */
  cpuSeconds: number;
  /** the load generator's largest resident set size seen (sampled every second), MiB */
  peakRssMiB: number;
  sessions: {
    requested: number;
    /** sessions that finished their handshake and got a first job */
    opened: number;
    failed: number;
    /** opened sessions the pool closed before the end */
    closedByPool: number;
    peakOpen: number;
    /** failure messages, by count */
    failures: Record<string, number>;
    /** connect to first job, ms */
    openLatencyMs: LatencyFigures;
  };
  shares: {
    sent: Record<ShareKind, number>;
    /** written shares per second over `seconds` */
    perSecond: number;
    /** kinds the mix asked for that could not be made at that moment */
    skipped: Record<ShareKind, number>;
    skipReasons: Record<string, number>;
    /** not sent: too many in flight on the session, or its socket buffer full */
    throttled: number;
  };
  /** replies to each kind: accepted, refused by reason, and how that compares with the kind's due verdict */
  replies: Record<ShareKind, KindTally>;
  /** refusals by "<code> <message>" as the pool sent them (ids and hashes blanked) */
  errors: Record<string, number>;
  /** write-to-reply latency of share replies, ms */
  latencyMs: LatencyFigures;
  /** shares without a reply: timed out or lost when the connection closed */
  missing: number;
  /** valid shares refused plus invalid ones accepted */
  wrong: number;
  /** invalid shares refused for another reason than their kind's */
  unexpected: number;
  /** replies to no request */
  unknownIdReplies: number;
  /** replies after their request had timed out (already counted as missing) */
  lateReplies: number;
  samples: { wrong: string[]; unexpected: string[] };
  /** true when nothing below failed */
  ok: boolean;
  /** why the run failed, one line each */
  failures: string[];
}

/** The figures of a histogram. */
export function latencyFigures(h: LatencyHistogram): LatencyFigures {
  return {
    count: h.count,
    p50: h.percentile(0.5),
    p99: h.percentile(0.99),
    p999: h.percentile(0.999),
    max: h.maxMs,
    mean: h.meanMs,
  };
}

/**
 * Builds the report of a run from its counters and decides `ok`: no session
 * failed, no reply missing, none wrong, none to an unknown id, and with
 * `strict` no unexpected refusal reason either.
 */
export function buildReport(
  options: LoadgenOptions,
  dialectTitle: string,
  stats: LoadStats,
  times: { seconds: number; drainSeconds: number; cpuSeconds: number; peakRssMiB: number },
): LoadgenReport {
  const totals = stats.totals();
  const failures: string[] = [];
  if (stats.sessions.failed > 0) failures.push(`${stats.sessions.failed} of ${stats.sessions.started} sessions failed to open`);
  if (totals.missing > 0) failures.push(`${totals.missing} share replies missing (timed out after ${options.replyTimeoutMs} ms, or lost when the connection closed)`);
  if (totals.wrong > 0) failures.push(`${totals.wrong} wrong verdicts (a valid share refused or an invalid one accepted)`);
  if (stats.unknownIdReplies > 0) failures.push(`${stats.unknownIdReplies} replies to no request`);
  if (options.strict && totals.unexpected > 0) failures.push(`${totals.unexpected} invalid shares refused for another reason than their kind's (--strict)`);
  if (stats.sessions.opened === 0) failures.push('no session opened');
  return {
    url: options.url,
    dialect: options.dialect,
    dialectTitle,
    options: {
      sessions: options.sessions,
      maxSessions: options.maxSessions,
      rampPerSecond: options.rampPerSecond,
      sharesPerSecond: options.sharesPerSecond,
      mix: formatShareMix(options.mix),
      durationSeconds: options.durationSeconds,
      replyTimeoutMs: options.replyTimeoutMs,
      versionRolling: options.versionRolling,
    },
    seconds: times.seconds,
    drainSeconds: times.drainSeconds,
    cpuSeconds: times.cpuSeconds,
    peakRssMiB: times.peakRssMiB,
    sessions: {
      requested: options.sessions,
      opened: stats.sessions.opened,
      failed: stats.sessions.failed,
      closedByPool: stats.sessions.closedByPool,
      peakOpen: stats.sessions.peakOpen,
      failures: stats.sessionFailures.toObject(),
      openLatencyMs: latencyFigures(stats.openLatency),
    },
    shares: {
      sent: { ...stats.sent },
      perSecond: times.seconds > 0 ? totals.sent / times.seconds : 0,
      skipped: { ...stats.skipped },
      skipReasons: stats.skipReasons.toObject(),
      throttled: stats.throttled,
    },
    replies: Object.fromEntries(SHARE_KINDS.map((k) => [k, { ...stats.replies[k], rejected: { ...stats.replies[k].rejected } }])) as Record<ShareKind, KindTally>,
    errors: stats.errors.toObject(),
    latencyMs: latencyFigures(stats.latency),
    missing: totals.missing,
    wrong: totals.wrong,
    unexpected: totals.unexpected,
    unknownIdReplies: stats.unknownIdReplies,
    lateReplies: stats.lateReplies,
    samples: { wrong: [...stats.wrongSamples], unexpected: [...stats.unexpectedSamples] },
    ok: failures.length === 0,
    failures,
  };
}
