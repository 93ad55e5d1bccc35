import type { BlockSubmitResult, CoinNode, CoinTemplate } from '@lode/plugin-api';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Observable, Subject, takeUntil } from 'rxjs';
import type { Subscription as RxSubscription } from 'rxjs';
import type { ForwardedShareJson } from './proxy-coin-plugin';
import type { UpstreamJob, UpstreamLink } from './upstream-link';

/** Shares forwarded through one {@link UpstreamNode} and the upstream's answers. */
export interface ForwardCounters {
  /** shares sent upstream */
  forwarded: number;
  /** accepted by the upstream (accepted-stale included) */
  accepted: number;
  /** refused by the upstream */
  rejected: number;
  /** not answered: the link failed or closed first */
  failed: number;
}

/**
 * Told of every share an {@link UpstreamNode} forwarded, once the upstream
 * answered it or the link failed (ProxyMetrics implements it). Must not throw.
 */
export interface ForwardObserver {
  /**
   * @param result 'accepted' (accepted-stale included), 'rejected' (the
   *   upstream refused it) or 'failed' (no answer: the link failed or closed)
   * @param reason the upstream's error text when rejected, the failure when
   *   failed, '' when accepted (raw: the observer bounds it)
   * @param seconds from the forward to the upstream's answer (or the failure)
   */
  forwarded(result: 'accepted' | 'rejected' | 'failed', reason: string, seconds: number): void;
}

/**
 * The CoinNode of one upstream subscription's PoolEngine: templates are the
 * upstream's jobs, and "submitting a block" forwards a share upstream.
 *
 * `templates$` emits one CoinTemplate per UpstreamJob:
 * `{ height, prevHash, networkTarget: job.target, raw: job, jobId: job.jobId, clean: job.clean }`.
 * The engine uses a template's `jobId` as its job id, so downstream job
 * ids equal upstream ids. Since the engine calls a job stale when its
 * `prevHash` differs from the current one's, `prevHash` is the work's
 * previous-block field (bitcoin `prevhash`, warthog `prevHash`; none for
 * ethstratum) followed by ":" and the number of clean jobs seen: a clean
 * job from upstream makes every older job stale downstream too, even when
 * the previous block did not change. `height` is the job's height when the
 * dialect gives one, else that same clean-job count (it only grows, so the
 * engine's per-height duplicate sweeps still run).
 *
 * Logs "share forwarded" (debug), then "upstream share accepted by
 * upstream" (info) or "upstream share rejected by upstream" (warn, with the
 * upstream's reason).
 *
 * `submitBlock(json)` parses the {@link ForwardedShareJson} that
 * ProxyCoinPlugin.buildBlock wrote and calls `link.submit`, answering
 * `{ accepted, hash: '', reason }`; a link failure is answered refused with
 * its message, never thrown.
 */
export class UpstreamNode implements CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  /** every forwarded share's verdict (for logs and stats) */
  readonly counters: ForwardCounters = { forwarded: 0, accepted: 0, rejected: 0, failed: 0 };
  /** the newest upstream job, undefined before the first */
  latestJob: UpstreamJob | undefined;

  private readonly detached = new Subject<void>();
  private readonly logger: LodeLogger;
  private generation = 0;
  private latestPrev: string | undefined;
  private watch: RxSubscription | undefined;
  private isDetached = false;

  /**
   * @param link the subscription's link (jobs$ replays its latest job)
   * @param logger receives "share forwarded" and the upstream's verdicts at debug
   * @param observer told of every forwarded share's verdict and round trip (metrics)
   */
  constructor(
    private readonly link: UpstreamLink,
    logger: LodeLogger = silentLogger,
    private readonly observer?: ForwardObserver,
  ) {
    this.logger = logger.child({ component: 'upstream-node', upstream: link.name });
    this.templates$ = new Observable<CoinTemplate>((subscriber) => {
      const sub = link.jobs$.pipe(takeUntil(this.detached)).subscribe({
        next: (job) => subscriber.next(this.toTemplate(job)),
        // A closed link ends without completing the stream: the engine would
        // log "no new jobs" for what is an ordinary upstream loss.
        error: (e: unknown) => subscriber.error(e),
      });
      return () => sub.unsubscribe();
    });
  }

  /** Nothing to start: the link is connected and jobs$ replays its latest job. */
  async start(): Promise<void> {
    if (this.watch === undefined && !this.isDetached) {
      this.watch = this.link.jobs$.pipe(takeUntil(this.detached)).subscribe((job) => {
        this.latestJob = job;
      });
    }
  }

  /** Stops emitting templates (the link itself belongs to the subscription). */
  async stop(): Promise<void> {
    this.detach();
  }

  /**
   * Stops emitting templates at once: the subscription no longer takes the
   * link's jobs (its link moved to another extranonce1, or it is closing).
   * Shares still forward.
   */
  detach(): void {
    if (this.isDetached) return;
    this.isDetached = true;
    this.detached.next();
    this.detached.complete();
    this.watch?.unsubscribe();
  }

  /**
   * Forwards one share upstream.
   *
   * @param blockJson what ProxyCoinPlugin.buildBlock wrote
   * @returns accepted or refused with the upstream's reason; hash is '' (the engine uses its own)
   * @throws LodeError('plugin') when blockJson is not a ForwardedShareJson (a proxy bug)
   */
  async submitBlock(blockJson: string): Promise<BlockSubmitResult> {
    const share = parseForwarded(blockJson);
    this.counters.forwarded++;
    const fields = { jobId: share.jobId, extranonce2: share.extranonce2, worker: share.workerName };
    this.logger.debug(fields, 'share forwarded');
    const started = process.hrtime.bigint();
    try {
      const verdict = await this.link.submit({
        jobId: share.jobId,
        extranonce2: Buffer.from(share.extranonce2, 'hex'),
        ntime: share.ntime,
        nonce: share.nonce,
        ...(share.versionBits === undefined ? {} : { versionBits: share.versionBits }),
        ...(share.workerName === undefined ? {} : { workerName: share.workerName }),
      });
      this.observe(verdict.accepted ? 'accepted' : 'rejected', verdict.accepted ? '' : (verdict.reason ?? ''), started);
      if (verdict.accepted) {
        this.counters.accepted++;
        this.logger.info({ ...fields, stale: verdict.stale }, 'upstream share accepted by upstream');
      } else {
        this.counters.rejected++;
        this.logger.warn({ ...fields, reason: verdict.reason }, 'upstream share rejected by upstream');
      }
      return verdict.accepted
        ? { accepted: true, hash: '' }
        : { accepted: false, hash: '', reason: verdict.reason ?? 'refused without a reason' };
    } catch (error) {
      this.observe('failed', error instanceof Error ? error.message : String(error), started);
      this.counters.failed++;
      this.logger.warn({ ...fields, err: error instanceof Error ? error.message : String(error) }, 'upstream share not answered: the link failed');
      return { accepted: false, hash: '', reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private observe(result: 'accepted' | 'rejected' | 'failed', reason: string, started: bigint): void {
    try {
      this.observer?.forwarded(result, reason, Number(process.hrtime.bigint() - started) / 1e9);
    } catch {
      // metrics never break a forward
    }
  }

  private toTemplate(job: UpstreamJob): CoinTemplate {
    const work = job.work;
    const prev = work.dialect === 'bitcoin' ? work.prevhash : work.dialect === 'warthog' ? work.prevHash : 'job';
    // A new previous block is a new generation even when the upstream forgot the clean flag.
    if (job.clean || (this.latestPrev !== undefined && prev !== this.latestPrev)) this.generation++;
    this.latestPrev = prev;
    return {
      height: job.height ?? this.generation,
      prevHash: `${prev}:${this.generation}`,
      networkTarget: job.target,
      raw: job,
      jobId: job.jobId,
      clean: job.clean,
    };
  }
}

function parseForwarded(text: string): ForwardedShareJson {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new LodeError('plugin', `forwarded share is not JSON: ${(cause as Error).message}`, { cause });
  }
  const s = parsed as Partial<ForwardedShareJson> | null;
  if (
    s === null ||
    typeof s !== 'object' ||
    typeof s.jobId !== 'string' ||
    typeof s.extranonce2 !== 'string' ||
    !/^([0-9a-f]{2})*$/i.test(s.extranonce2) ||
    typeof s.ntime !== 'number' ||
    typeof s.nonce !== 'number' ||
    (s.versionBits !== undefined && typeof s.versionBits !== 'number') ||
    (s.workerName !== undefined && typeof s.workerName !== 'string')
  ) {
    throw new LodeError('plugin', `forwarded share ${text.slice(0, 200)} is not {jobId, extranonce2 hex, ntime, nonce, versionBits?, workerName?}`);
  }
  return s as ForwardedShareJson;
}
