import { REJECT_REASONS } from '../dialects/dialect-driver';
import { SHARE_KINDS } from '../mix/share-kind';
import type { LatencyFigures, LoadgenReport } from './loadgen-report';

const ms = (v: number): string => (Number.isFinite(v) ? `${v.toFixed(3)} ms` : '-');
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

function latencyLine(f: LatencyFigures): string {
  return `p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, p999 ${ms(f.p999)}, max ${ms(f.max)}, mean ${ms(f.mean)} (${int(f.count)} replies)`;
}

/**
 * The final summary as text lines: the run's settings, sessions, a row per
 * share kind (sent, skipped, accepted, refused by reason, verdict check,
 * missing), the pool's refusals by code, reply latency p50/p99/p999, and
 * the verdict (PASS, or FAIL with each reason and a few samples).
 */
export function formatReport(r: LoadgenReport): string[] {
  const o = r.options;
  const lines = [
    `lode-loadgen: ${r.dialectTitle} at ${r.url}`,
    `  ${int(o.sessions)} sessions (cap ${int(o.maxSessions)}), ramp ${o.rampPerSecond}/s, ${o.sharesPerSecond} shares/s each, mix ${o.mix}` +
      `${o.versionRolling ? ', version rolling' : ''}, ${o.durationSeconds} s, reply timeout ${o.replyTimeoutMs} ms`,
    `sessions: ${int(r.sessions.opened)} opened, ${int(r.sessions.failed)} failed, ${int(r.sessions.closedByPool)} closed by the pool, peak ${int(r.sessions.peakOpen)} open; ` +
      `open (connect to first job) p50 ${ms(r.sessions.openLatencyMs.p50)}, p99 ${ms(r.sessions.openLatencyMs.p99)}`,
    ...Object.entries(r.sessions.failures).map(([why, n]) => `  ${int(n)} x ${why}`),
    `shares: ${int(SHARE_KINDS.reduce((a, k) => a + r.shares.sent[k], 0))} sent in ${r.seconds.toFixed(1)} s (${int(r.shares.perSecond)}/s), ${int(r.shares.throttled)} throttled; ` +
      `replies drained in ${r.drainSeconds.toFixed(2)} s`,
    `load generator: CPU ${r.cpuSeconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB`,
  ];
  const header = ['kind', 'sent', 'skipped', 'accepted', 'refused (reason)', 'as due', 'raced', 'unexpected', 'wrong', 'missing'];
  const rows = SHARE_KINDS.filter((k) => r.shares.sent[k] + r.shares.skipped[k] > 0).map((k) => {
    const t = r.replies[k];
    const refused = REJECT_REASONS.filter((why) => t.rejected[why] > 0)
      .map((why) => `${int(t.rejected[why])} ${why}`)
      .join(', ');
    return [k, int(r.shares.sent[k]), int(r.shares.skipped[k]), int(t.accepted), refused || '0', int(t.expected), int(t.superseded), int(t.unexpected), int(t.wrong), int(t.timedOut + t.lostAtClose)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmt = (row: string[]): string => `  ${row.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')}`.trimEnd();
  if (rows.length > 0) {
    lines.push(fmt(header), ...rows.map(fmt));
    lines.push('  (raced: refused as stale / unknown job because a new block superseded the job while the share was in flight)');
  }
  for (const [why, n] of Object.entries(r.shares.skipReasons)) lines.push(`  skipped ${int(n)} x ${why}`);
  const errors = Object.entries(r.errors);
  if (errors.length > 0) {
    lines.push('refusals by pool error:');
    for (const [why, n] of errors) lines.push(`  ${int(n).padStart(9)}  ${why}`);
  }
  lines.push(`reply latency (write to reply): ${latencyLine(r.latencyMs)}`);
  if (r.lateReplies > 0) lines.push(`late replies (after the timeout): ${int(r.lateReplies)}`);
  if (r.ok) {
    lines.push(`PASS: no reply missing, no wrong verdict${r.unexpected > 0 ? ` (${int(r.unexpected)} refused for an unexpected reason, see above)` : ''}`);
  } else {
    lines.push(`FAIL: ${r.failures.join('; ')}`);
  }
  for (const s of r.samples.wrong) lines.push(`  wrong: ${s}`);
  for (const s of r.samples.unexpected) lines.push(`  unexpected: ${s}`);
  return lines;
}

/** The report as JSON (NaN figures as null). */
export function reportJson(r: LoadgenReport): string {
  return JSON.stringify(r, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
}
