import { difficultyFromTarget } from '@lode/mining';
import type { CoinJob, CoinNode, CoinPlugin, CoinTemplate } from '@lode/plugin-api';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { ReplaySubject, Subject } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import type { JobBroadcast } from './job-broadcast';
import type { JobLookup } from './job-lookup';
import type { JobManagerOptions } from './job-manager-options';
import { nextJobId } from './next-job-id';

/**
 * Turns a coin node's templates into jobs shared by every session
 * (DESIGN.md "One share through the pool"; field-notes §1.1-§1.3).
 *
 * - Every template from `node.templates$` becomes a job through
 *   `plugin.createJob`, with a fresh process-unique hex job id.
 * - A template with a new previous block hash (or a higher height) gives a
 *   CLEAN job: every older job becomes stale. Any other gives a plain job.
 * - With no new template for `refreshIntervalMs`, a plain job is rebuilt from
 *   the current template so ntime and transactions stay fresh.
 * - A template that carries `jobId` (from a job bus shared by several pool
 *   instances, issue 4 / TemplateBus) gets exactly that id; it is clean when
 *   the template says `clean: true` or by the rule above; no refresh timer runs
 *   for it, since the bus leader republishes. A template whose `jobId` is
 *   already in the history is ignored (the bus repeats an id only for the
 *   same template).
 * - The last `historySize` jobs are kept for share lookup; stale ones stay in
 *   the history until they age out, so that a share on them is refused as
 *   'stale' rather than 'unknown-job' (the distinction Miningcore lacks,
 *   field-notes §1.1).
 *
 * A template the plugin cannot turn into a job is logged and skipped.
 */
export class JobManager {
  private readonly jobsSubject = new ReplaySubject<JobBroadcast>(1);
  private readonly retiredSubject = new Subject<string>();
  private readonly history = new Map<string, CoinJob>();
  private readonly networkDifficulties = new WeakMap<CoinJob, number>();
  private readonly refreshIntervalMs: number;
  private readonly historySize: number;
  private readonly logger: LodeLogger;
  private template: CoinTemplate | undefined;
  private currentJob: CoinJob | undefined;
  private subscription: Subscription | undefined;
  /** the last broadcast, replayed to a new listener */
  private last: JobBroadcast | undefined;
  /** listeners registered with listen(), called in registration order */
  private readonly listeners = new Set<(broadcast: JobBroadcast) => void>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  /**
   * Every job, as it is made; a late subscriber gets the current one at once
   * (replayed with the flag it was first sent with). Completes on stop().
   */
  readonly jobs$: Observable<JobBroadcast> = this.jobsSubject.asObservable();

  /**
   * Registers a plain callback for every job: called at once with the
   * current job (the broadcast it was first sent with) when there is one,
   * then with every new job, before `jobs$` emits it. One Set entry per
   * listener instead of an rxjs subscription: a pool registers one per live
   * session, so this is the fan-out loop (docs/performance.md (c)). A
   * listener that throws is logged and the others still run. Listeners are
   * dropped on stop(); after it, listen() registers nothing. Remove one
   * with {@link unlisten}.
   */
  listen(listener: (broadcast: JobBroadcast) => void): void {
    if (this.stopped) return;
    this.listeners.add(listener);
    const last = this.last;
    if (last !== undefined) this.call(listener, last);
  }

  /** Removes a listener given to {@link listen}; nothing when it is not registered. */
  unlisten(listener: (broadcast: JobBroadcast) => void): void {
    this.listeners.delete(listener);
  }

  /** live listeners registered with listen() */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Ids of jobs leaving the history (their shares are 'unknown-job' from now on). Completes on stop(). */
  readonly retired$: Observable<string> = this.retiredSubject.asObservable();

  /**
   * @param plugin the coin's plugin (createJob)
   * @param node the coin's node (templates$, start, stop)
   * @param coinConfig the coin's validated config section, passed to createJob
   * @param options sizes, refresh interval, history size, logger
   * @throws LodeError('config') if historySize is not an integer >= 1 or
   *   refreshIntervalMs is not > 0
   */
  constructor(
    private readonly plugin: CoinPlugin,
    private readonly node: CoinNode,
    private readonly coinConfig: Record<string, unknown>,
    private readonly options: JobManagerOptions,
  ) {
    this.refreshIntervalMs = options.refreshIntervalMs ?? 30000;
    this.historySize = options.historySize ?? 32;
    this.logger = (options.logger ?? silentLogger).child({ component: 'job-manager', coin: plugin.id });
    if (!Number.isInteger(this.historySize) || this.historySize < 1) {
      throw new LodeError('config', `job historySize must be an integer >= 1, got ${this.historySize}`);
    }
    if (!(this.refreshIntervalMs > 0)) {
      throw new LodeError('config', `job refreshIntervalMs must be > 0, got ${this.refreshIntervalMs}`);
    }
  }

  /** the newest job, or undefined before the first template */
  get current(): CoinJob | undefined {
    return this.currentJob;
  }

  /** height of the block the newest job builds, or undefined before the first template */
  get currentHeight(): number | undefined {
    return this.currentJob?.height;
  }

  /** jobs kept for lookup (<= historySize) */
  get size(): number {
    return this.history.size;
  }

  /**
   * Looks a job id up in the history.
   *
   * @returns the job and whether it is stale, or undefined when the id was
   *   never issued or has left the history
   */
  get(jobId: string): JobLookup | undefined {
    const job = this.history.get(jobId);
    if (job === undefined) return undefined;
    return { job, stale: job.prevHash !== this.currentJob?.prevHash };
  }

  /**
   * The network difficulty of a job: diff1Target / job.networkTarget, computed
   * once per job (the share path and the stats ask for it on every share).
   */
  networkDifficulty(job: CoinJob): number {
    let difficulty = this.networkDifficulties.get(job);
    if (difficulty === undefined) {
      difficulty = difficultyFromTarget(job.networkTarget, this.plugin.diff1Target);
      this.networkDifficulties.set(job, difficulty);
    }
    return difficulty;
  }

  /**
   * Subscribes to the node's templates, then starts the node (which emits the
   * current template at once).
   *
   * @throws whatever node.start() throws (LodeError('node'))
   */
  async start(): Promise<void> {
    if (this.subscription !== undefined) return;
    this.subscription = this.node.templates$.subscribe({
      next: (template) => this.onTemplate(template),
      error: (error: unknown) =>
        this.logger.error({ err: error }, 'template stream failed; no new jobs until the engine restarts'),
      complete: () => this.logger.warn({}, 'template stream completed; no new jobs'),
    });
    await this.node.start();
  }

  /** Ends the refresh timer and the template subscription, completes jobs$, then stops the node. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.clearRefresh();
    this.listeners.clear();
    this.jobsSubject.complete();
    this.retiredSubject.complete();
    await this.node.stop();
  }

  private onTemplate(template: CoinTemplate): void {
    if (this.stopped) return;
    const { jobId } = template;
    if (jobId === undefined) {
      this.template = template;
      this.publish();
      return;
    }
    if (this.history.has(jobId)) {
      this.logger.debug({ jobId, height: template.height }, 'template with a known bus job id ignored');
      return;
    }
    // The bus leader republishes the current template itself: a timer here
    // would make ids that the other instances never see.
    this.clearRefresh();
    this.template = template;
    this.build(template, jobId, template.clean);
  }

  private publish(): void {
    const template = this.template;
    if (template === undefined || this.stopped) return;
    this.scheduleRefresh();
    this.build(template, nextJobId(), undefined);
  }

  private build(template: CoinTemplate, jobId: string, givenClean: boolean | undefined): void {
    const started = process.hrtime.bigint();
    // Compared with the current job, not the last template: when a new block's
    // template could not be built, the next job built from it must still be
    // clean. A bus's `clean: false` cannot hide a new block from this
    // instance (one that missed the bus's clean template must still clean).
    const previous = this.currentJob;
    const clean =
      givenClean === true ||
      previous === undefined ||
      template.prevHash !== previous.prevHash ||
      template.height > previous.height;
    let job: CoinJob;
    try {
      job = this.plugin.createJob(
        template,
        { jobId, extranonce1Size: this.options.extranonce1Size, extranonce2Size: this.options.extranonce2Size },
        this.coinConfig,
      );
    } catch (error) {
      this.logger.error(
        { err: error, height: template.height, prevHash: template.prevHash },
        `plugin ${this.plugin.id} could not build a job from the template at height ${template.height}`,
      );
      return;
    }
    if (job.id !== jobId) {
      // Sessions send job.id to miners and look shares up by it: a plugin that
      // picks its own id would break uniqueness, so the job is not used.
      this.logger.error({ jobId, got: job.id }, `plugin ${this.plugin.id} returned job id ${job.id}, expected ${jobId}`);
      return;
    }
    this.history.set(jobId, job);
    while (this.history.size > this.historySize) {
      const oldest = this.history.keys().next().value as string;
      this.history.delete(oldest);
      this.retiredSubject.next(oldest);
    }
    this.currentJob = job;
    this.logger.debug({ jobId, height: job.height, clean }, 'new job');
    const broadcast: JobBroadcast = { job, clean };
    this.last = broadcast;
    // A snapshot: a listener added while this job goes out got it from listen() already.
    for (const listener of [...this.listeners]) {
      if (this.listeners.has(listener)) this.call(listener, broadcast);
    }
    this.jobsSubject.next(broadcast);
    this.options.onPublished?.(Number(process.hrtime.bigint() - started) / 1e9, clean);
  }

  private call(listener: (broadcast: JobBroadcast) => void, broadcast: JobBroadcast): void {
    try {
      listener(broadcast);
    } catch (error) {
      this.logger.error({ err: error, jobId: broadcast.job.id }, 'job listener threw');
    }
  }

  private scheduleRefresh(): void {
    this.clearRefresh();
    this.refreshTimer = setTimeout(() => this.publish(), this.refreshIntervalMs);
    // The refresh must never keep a process alive on its own.
    this.refreshTimer.unref();
  }

  private clearRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }
}
