import { randomBytes } from 'node:crypto';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { observe, timedNode, type EngineMetrics } from './engine-metrics';
import { JobManager } from './jobs/job-manager';
import type { PoolEngineConfig } from './pool-engine-config';
import { MemoryDuplicateIndex } from './ports/memory-duplicate-index';
import type { CreateSessionOptions } from './sessions/create-session-options';
import { ExtranonceSource } from './sessions/extranonce-source';
import { MinerSession } from './sessions/miner-session';
import type { SessionServices } from './sessions/session-services';
import type { WorkerAuthorizer } from './sessions/worker-authorizer';
import { BlockSubmitter } from './shares/block-submitter';
import type { FoundBlock } from './shares/found-block';
import { ShareValidator } from './shares/share-validator';
import { WorkerStats } from './stats/worker-stats';

/** The default authorizer: every worker whose name passed the basic rule. */
const acceptAll: WorkerAuthorizer = () => true;
/** What an instance id may be: it goes into share record ids and store keys. */
const INSTANCE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The pool for one coin, dialect-neutral: jobs from the coin's node, miner
 * sessions, the share path, block submission, stats, and the ports it
 * persists through (DESIGN.md "One share through the pool", "State and
 * scale"). Apps adapt each connection's dialect to a {@link MinerSession}.
 *
 * Extranonce1 values are unique among this instance's live sessions and
 * those held for resume (ExtranonceAllocator). Several instances on one
 * store (issue 4) stay apart through the optional ports: ExtranonceLeases
 * (a unique prefix per instance taken at start, and a claim on every value
 * in live use, so a session resumed on another instance keeps its value and
 * nobody else gets it), a shared DuplicateIndex (a share replayed on another
 * instance is a duplicate), a shared SessionStore (resume anywhere) and a
 * TemplateBus-wrapped node (the same job ids everywhere). Without them
 * everything is in memory, as for one process.
 *
 * One engine-wide timer (unref'd) runs vardiff idle checks, ends resume
 * windows and refreshes the extranonce claims.
 *
 * @example
 * const engine = new PoolEngine({ plugin, node, coinConfig, shareStore, sessionStore, logger });
 * await engine.start();
 * const session = engine.createSession({ remoteAddress, port: 3333, initialDifficulty: 1 });
 *
 * @example several instances on one Redis (store-redis)
 * const engine = new PoolEngine({
 *   plugin, node: bus.wrap(plugin.id, node), coinConfig, shareStore, sessionStore,
 *   duplicateIndex, extranonceLeases, logger,
 * });
 */
export class PoolEngine {
  /** the engine's JobManager (current job, height, history) */
  readonly jobs: JobManager;
  /** share statistics per worker and for the pool */
  readonly stats: WorkerStats;
  /** every block candidate with the node's answer; completes on stop() */
  readonly blocks$: Observable<FoundBlock>;
  /** this instance's id (PoolEngineConfig.instanceId or 8 random hex digits) */
  readonly instanceId: string;

  private readonly logger: LodeLogger;
  private readonly extranonces: ExtranonceSource;
  private readonly blocks: BlockSubmitter;
  private readonly validator: ShareValidator;
  private readonly services: SessionServices;
  private readonly sessions = new Set<MinerSession>();
  /** submits begun and not yet answered */
  private inFlight = 0;
  /** resolves stop()'s wait once inFlight is back to 0 */
  private whenIdle: (() => void) | undefined;
  private readonly maintenanceIntervalMs: number;
  private readonly clock: () => number;
  private readonly metrics: EngineMetrics | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  /**
   * @throws LodeError('config') on an invalid size, prefix, prefix length,
   *   history size, refresh interval, window, duplicate bound or instance id,
   *   or instancePrefix given together with extranonceLeases
   */
  constructor(config: PoolEngineConfig) {
    const options = config.options ?? {};
    const coinSizes = config.plugin.extranonceSizes?.(config.coinConfig);
    const extranonce1Size = coinSizes?.extranonce1Size ?? options.extranonce1Size ?? 4;
    const extranonce2Size = coinSizes?.extranonce2Size ?? options.extranonce2Size ?? 4;
    const historySize = options.historySize ?? 32;
    const resumeWindowSeconds = options.resumeWindowSeconds ?? 600;
    this.maintenanceIntervalMs = options.maintenanceIntervalMs ?? 10000;
    if (!Number.isInteger(extranonce2Size) || extranonce2Size < 1) {
      throw new LodeError('config', `extranonce2Size must be an integer >= 1 bytes, got ${extranonce2Size}`);
    }
    if (!(resumeWindowSeconds >= 0) || !(this.maintenanceIntervalMs > 0)) {
      throw new LodeError(
        'config',
        `resumeWindowSeconds must be >= 0 and maintenanceIntervalMs > 0, got ${resumeWindowSeconds} and ${this.maintenanceIntervalMs}`,
      );
    }
    this.instanceId = config.instanceId ?? randomBytes(4).toString('hex');
    if (typeof this.instanceId !== 'string' || !INSTANCE_ID.test(this.instanceId)) {
      throw new LodeError('config', `instanceId must be 1 to 64 characters of [A-Za-z0-9._-], got ${JSON.stringify(this.instanceId)}`);
    }
    this.clock = config.clock ?? Date.now;
    this.metrics = config.metrics;
    this.logger = (config.logger ?? silentLogger).child({
      component: 'pool-engine',
      coin: config.plugin.id,
      instance: this.instanceId,
    });
    this.extranonces = new ExtranonceSource({
      size: extranonce1Size,
      ...(options.instancePrefix === undefined ? {} : { prefix: options.instancePrefix }),
      ...(config.extranonceLeases === undefined ? {} : { leases: config.extranonceLeases }),
      prefixBytes: options.extranoncePrefixBytes ?? 1,
      instanceId: this.instanceId,
      maxHolds: options.maxResumeHolds ?? 100000,
      claimTtlMs: resumeWindowSeconds * 1000 + 2 * this.maintenanceIntervalMs,
      logger: this.logger,
    });
    // Every call to the node goes through this one wrapper (EngineMetrics.nodeCall).
    const node = timedNode(config.node, this.metrics);
    this.jobs = new JobManager(config.plugin, node, config.coinConfig, {
      extranonce1Size,
      extranonce2Size,
      historySize,
      ...(options.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: options.refreshIntervalMs }),
      onPublished: (seconds, clean) => observe(this.metrics, 'jobFannedOut', seconds, this.sessions.size, clean),
      logger: this.logger,
    });
    this.blocks = new BlockSubmitter(config.plugin, node, this.logger, options.candidateWording, this.metrics);
    this.blocks$ = this.blocks.blocks$;
    this.validator = new ShareValidator(config.plugin, this.jobs, this.blocks, {
      duplicateIndex:
        config.duplicateIndex ??
        new MemoryDuplicateIndex(
          options.duplicatesPerHeight === undefined ? {} : { keysPerHeight: options.duplicatesPerHeight },
        ),
      logger: this.logger,
      ...(options.acceptStaleHeights === undefined ? {} : { acceptStaleHeights: options.acceptStaleHeights }),
    });
    this.stats = new WorkerStats({
      diff1Target: config.plugin.diff1Target,
      ...(options.statsWindowSeconds === undefined ? {} : { windowSeconds: options.statsWindowSeconds }),
    });
    this.services = {
      plugin: config.plugin,
      jobs: this.jobs,
      validator: this.validator,
      extranonces: this.extranonces,
      sessionStore: config.sessionStore,
      shareStore: config.shareStore,
      stats: this.stats,
      logger: this.logger,
      ...(this.metrics === undefined ? {} : { metrics: this.metrics }),
      authorizeWorker: options.authorizeWorker ?? acceptAll,
      instanceId: this.instanceId,
      extranonce2Size,
      ledgerCapacity: historySize,
      resumeWindowMs: resumeWindowSeconds * 1000,
      now: () => this.clock(),
      stopping: () => this.stopping !== undefined,
      submitStarted: () => {
        this.inFlight++;
      },
      submitEnded: () => {
        if (--this.inFlight === 0 && this.whenIdle !== undefined) {
          const resolve = this.whenIdle;
          this.whenIdle = undefined;
          resolve();
        }
      },
      closed: (session) => this.sessions.delete(session as MinerSession),
    };
  }

  /** live sessions */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** extranonce1 values reserved for resume */
  get resumeHolds(): number {
    return this.extranonces.heldForResume;
  }

  /**
   * the prefix every extranonce1 this engine allocates starts with (raw
   * bytes, a copy; empty without one); undefined before start() when the
   * prefix comes from ExtranonceLeases
   */
  get extranoncePrefix(): Buffer | undefined {
    return this.extranonces.prefix;
  }

  /** extranonce1 values of live sessions claimed through ExtranonceLeases (0 without them) */
  get extranonceClaims(): number {
    return this.extranonces.claimed;
  }

  /** shares judged without the duplicate check because the DuplicateIndex failed (logged too) */
  get duplicateCheckFailures(): number {
    return this.validator.duplicateCheckFailures;
  }

  /** submits not yet answered */
  get inFlightSubmits(): number {
    return this.inFlight;
  }

  /**
   * Takes the extranonce1 prefix from the ExtranonceLeases (when given),
   * then starts the maintenance timer and the JobManager (which starts the
   * node). Should the node fail to start, call stop() to give the prefix back.
   *
   * @throws LodeError('store') from the leases (every prefix taken, store
   *   unreachable); whatever the node's start throws (LodeError('node'))
   */
  async start(): Promise<void> {
    if (this.stopping !== undefined) throw new LodeError('config', 'the pool engine was stopped; build a new one');
    await this.extranonces.start();
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.maintain(), this.maintenanceIntervalMs);
      // The timer must never keep a process alive on its own.
      this.timer.unref();
    }
    await this.jobs.start();
  }

  /**
   * Stops gracefully: refuses new sessions and new submits (answered
   * 'not-subscribed', "the pool is stopping", not recorded), waits for every
   * in-flight submit and block submission, closes the live sessions (their
   * extranonce1 saved for resume, their events$ completed), stops the
   * JobManager (and the node), gives the extranonce prefix back to the
   * leases (after their claims are released) and completes blocks$.
   * Idempotent.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  /**
   * A session for a new connection.
   *
   * @throws LodeError('connection') once stop() was called;
   *   LodeError('config') on an invalid initialDifficulty or vardiff options
   */
  createSession(options: CreateSessionOptions): MinerSession {
    if (this.stopping !== undefined) {
      throw new LodeError('connection', `the pool engine is stopping; connection from ${options.remoteAddress} refused`);
    }
    const session = new MinerSession(this.services, options);
    this.sessions.add(session);
    observe(this.metrics, 'sessionOpened', options.dialect ?? 'unknown');
    return session;
  }

  private async shutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    // Sessions refuse new submits from now on, so this wait ends.
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve));
    await this.blocks.settled();
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.validator.dispose();
    await this.jobs.stop();
    await this.extranonces.stop();
    this.blocks.complete();
  }

  /**
   * What the engine's timer runs every maintenanceIntervalMs: ends the
   * resume windows that are over (their extranonce1 values go back to the
   * allocator), runs every live session's vardiff idle check, and starts
   * refreshing the extranonce claims of live sessions (with leases; in the
   * background, one refresh at a time). Public so that an app (or a test)
   * with its own scheduler can run it.
   */
  maintain(): void {
    const now = this.clock();
    this.extranonces.sweep(now);
    for (const session of this.sessions) session.checkIdle(now);
    this.extranonces.refresh();
  }

}
