import { REJECT_REASONS, type RejectReason } from '../dialects/dialect-driver';
import { SHARE_KINDS, zeroByKind, type ShareKind } from '../mix/share-kind';
import { BoundedCounter } from './bounded-counter';
import { LatencyHistogram } from './latency-histogram';

/**
 * How a reply to a share compares with the verdict its kind is owed:
 *
 * - `expected`: the verdict the kind is owed (valid accepted, low-difficulty
 *   refused as low difficulty, duplicate as duplicate, stale as stale or
 *   unknown job, malformed with any error)
 * - `superseded`: refused as stale or unknown job because a new block
 *   superseded the share's job while the share was in flight (a race every
 *   miner sees, not a fault of the pool)
 * - `unexpected`: an invalid share refused, but for another reason than its kind's
 * - `wrong`: a valid share refused, or an invalid one accepted
 */
export type Outcome = 'expected' | 'superseded' | 'unexpected' | 'wrong';

/** Replies to one kind of share. */
export interface KindTally {
  accepted: number;
  /** refusals by reason */
  rejected: Record<RejectReason, number>;
  expected: number;
  superseded: number;
  unexpected: number;
  wrong: number;
  /** no reply within the reply timeout */
  timedOut: number;
  /** the connection closed before the reply */
  lostAtClose: number;
}

function newKindTally(): KindTally {
  const rejected = Object.fromEntries(REJECT_REASONS.map((r) => [r, 0])) as Record<RejectReason, number>;
  return { accepted: 0, rejected, expected: 0, superseded: 0, unexpected: 0, wrong: 0, timedOut: 0, lostAtClose: 0 };
}

/** Kept examples of wrong and unexpected replies, for the report. */
const SAMPLES = 10;

/**
 * Every counter of one run, shared by all sessions. Memory is fixed: counts
 * per kind and reason, maps capped at 32 keys (BoundedCounter), three
 * fixed-size histograms and at most 10 sample messages per list.
 */
export class LoadStats {
  readonly sessions = { started: 0, opened: 0, failed: 0, closedByPool: 0, open: 0, peakOpen: 0 };
  /** why sessions failed to open, by message */
  readonly sessionFailures = new BoundedCounter(16);
  readonly sent = zeroByKind();
  /** shares the mix asked for that could not be made at that moment (no superseded job yet, ...) */
  readonly skipped = zeroByKind();
  readonly skipReasons = new BoundedCounter(16);
  /** shares not sent because the session had too many in flight or its socket was full */
  throttled = 0;
  readonly replies: Record<ShareKind, KindTally> = Object.fromEntries(SHARE_KINDS.map((k) => [k, newKindTally()])) as Record<ShareKind, KindTally>;
  /** refusals by "<code> <message>" as the pool sent them */
  readonly errors = new BoundedCounter(32);
  /** replies whose id matches no request of the session */
  unknownIdReplies = 0;
  /** replies that came after their request had timed out (counted as missing already) */
  lateReplies = 0;
  /** handshake replies that never came (also counted in sessions.failed) */
  handshakeTimeouts = 0;
  readonly wrongSamples: string[] = [];
  readonly unexpectedSamples: string[] = [];
  /** write-to-reply latency of every share reply */
  readonly latency = new LatencyHistogram();
  /** the same, for the current progress window only */
  readonly windowLatency = new LatencyHistogram();
  /** connect to first job, per opened session */
  readonly openLatency = new LatencyHistogram();
  /** shares written and share replies read since the start (for rates) */
  sharesWritten = 0;
  shareReplies = 0;

  /** Counts a judged reply. */
  judge(kind: ShareKind, reason: RejectReason | 'accepted', outcome: Outcome, detail: string): void {
    const tally = this.replies[kind];
    if (reason === 'accepted') tally.accepted += 1;
    else tally.rejected[reason] += 1;
    tally[outcome] += 1;
    if (outcome === 'wrong' && this.wrongSamples.length < SAMPLES) this.wrongSamples.push(detail);
    if (outcome === 'unexpected' && this.unexpectedSamples.length < SAMPLES) this.unexpectedSamples.push(detail);
  }

  /** Records a reply to an id that matches no request. */
  unknownId(detail: string): void {
    this.unknownIdReplies += 1;
    if (this.wrongSamples.length < SAMPLES) this.wrongSamples.push(detail);
  }

  /** Counts a share that got no reply. */
  missing(kind: ShareKind, why: 'timedOut' | 'lostAtClose'): void {
    this.replies[kind][why] += 1;
  }

  /** Counts a share kind that could not be made now. */
  skip(kind: ShareKind, why: string): void {
    this.skipped[kind] += 1;
    this.skipReasons.add(`${kind}: ${why}`);
  }

  /** totals over every kind */
  totals(): { sent: number; wrong: number; unexpected: number; missing: number; accepted: number } {
    let sent = 0;
    let wrong = 0;
    let unexpected = 0;
    let missing = 0;
    let accepted = 0;
    for (const k of SHARE_KINDS) {
      const t = this.replies[k];
      sent += this.sent[k];
      wrong += t.wrong;
      unexpected += t.unexpected;
      missing += t.timedOut + t.lostAtClose;
      accepted += t.accepted;
    }
    return { sent, wrong, unexpected, missing, accepted };
  }
}
