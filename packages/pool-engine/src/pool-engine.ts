import { ExtranonceAllocator } from '@lode/mining';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { Observable } from 'rxjs';
import { JobManager } from './jobs/job-manager';
import type { PoolEngineConfig } from './pool-engine-config';
import type { CreateSessionOptions } from './sessions/create-session-options';
import { MinerSession } from './sessions/miner-session';
import { ResumeHolds } from './sessions/resume-holds';
import type { SessionServices } from './sessions/session-services';
import type { WorkerAuthorizer } from './sessions/worker-authorizer';
import { BlockSubmitter } from './shares/block-submitter';
import type { FoundBlock } from './shares/found-block';
import { ShareValidator } from './shares/share-validator';
import { WorkerStats } from './stats/worker-stats';

/** The default authorizer: every worker whose name passed the basic rule. */
const acceptAll: WorkerAuthorizer = () => true;

/**
 * The pool for one coin, dialect-neutral: jobs from the coin's node, miner
 * sessions, the share path, block submission, stats, and the ports it
 * persists through (DESIGN.md "One share through the pool", "State and
 * scale"). Apps adapt each connection's dialect to a {@link MinerSession}.
 *
 * Extranonce1 values are unique among this instance's live sessions and
 * those held for resume (ExtranonceAllocator, with `instancePrefix` for
 * several instances). One engine-wide timer (unref'd) runs vardiff idle
 * checks and ends resume windows.
 *
 * @example
 * const engine = new PoolEngine({ plugin, node, coinConfig, shareStore, sessionStore, logger });
 * await engine.start();
 * const session = engine.createSession({ remoteAddress, port: 3333, initialDifficulty: 1 });
 */
export class PoolEngine {
  /** the engine's JobManager (current job, height, history) */
  readonly jobs: JobManager;
  /** share statistics per worker and for the pool */
  readonly stats: WorkerStats;
  /** every block candidate with the node's answer; completes on stop() */
  readonly blocks$: Observable<FoundBlock>;

  private readonly logger: LodeLogger;
  private readonly allocator: ExtranonceAllocator;
  private readonly holds: ResumeHolds;
  private readonly blocks: BlockSubmitter;
  private readonly validator: ShareValidator;
  private readonly services: SessionServices;
  private readonly sessions = new Set<MinerSession>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly maintenanceIntervalMs: number;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;

  /**
   * @throws LodeError('config') on an invalid size, prefix, history size,
   *   refresh interval or window
   */
  constructor(config: PoolEngineConfig) {
    const options = config.options ?? {};
    const extranonce1Size = options.extranonce1Size ?? 4;
    const extranonce2Size = options.extranonce2Size ?? 4;
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
    this.clock = config.clock ?? Date.now;
    this.logger = (config.logger ?? silentLogger).child({ component: 'pool-engine', coin: config.plugin.id });
    this.allocator = new ExtranonceAllocator({
      size: extranonce1Size,
      ...(options.instancePrefix === undefined ? {} : { prefix: options.instancePrefix }),
    });
    this.holds = new ResumeHolds(this.allocator, options.maxResumeHolds ?? 100000);
    this.jobs = new JobManager(config.plugin, config.node, config.coinConfig, {
      extranonce1Size,
      extranonce2Size,
      historySize,
      ...(options.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: options.refreshIntervalMs }),
      logger: this.logger,
    });
    this.blocks = new BlockSubmitter(config.plugin, config.node, this.logger);
    this.blocks$ = this.blocks.blocks$;
    this.validator = new ShareValidator(config.plugin, this.jobs, this.blocks, {
      ...(options.duplicatesPerJob === undefined ? {} : { duplicatesPerJob: options.duplicatesPerJob }),
    });
    this.stats = new WorkerStats({
      diff1Target: config.plugin.diff1Target,
      ...(options.statsWindowSeconds === undefined ? {} : { windowSeconds: options.statsWindowSeconds }),
    });
    this.services = {
      plugin: config.plugin,
      jobs: this.jobs,
      validator: this.validator,
      allocator: this.allocator,
      holds: this.holds,
      sessionStore: config.sessionStore,
      shareStore: config.shareStore,
      stats: this.stats,
      logger: this.logger,
      authorizeWorker: options.authorizeWorker ?? acceptAll,
      extranonce2Size,
      ledgerCapacity: historySize,
      resumeWindowMs: resumeWindowSeconds * 1000,
      now: () => this.clock(),
      stopping: () => this.stopping !== undefined,
      track: (work) => this.track(work),
      closed: (session) => this.sessions.delete(session as MinerSession),
    };
  }

  /** live sessions */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** extranonce1 values reserved for resume */
  get resumeHolds(): number {
    return this.holds.size;
  }

  /** submits not yet answered */
  get inFlightSubmits(): number {
    return this.inFlight.size;
  }

  /**
   * Starts the JobManager (which starts the node) and the maintenance timer.
   *
   * @throws whatever the node's start throws (LodeError('node'))
   */
  async start(): Promise<void> {
    if (this.stopping !== undefined) throw new LodeError('config', 'the pool engine was stopped; build a new one');
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
   * in-flight submit and block submission, closes the live sessions (their extranonce1 saved
   * for resume, their events$ completed), then stops the JobManager (and the
   * node) and completes blocks$. Idempotent.
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
    return session;
  }

  private async shutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    // Sessions refuse new submits from now on, so this wait ends.
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.blocks.settled();
    await Promise.all([...this.sessions].map((session) => session.close()));
    this.validator.dispose();
    await this.jobs.stop();
    this.blocks.complete();
  }

  /**
   * What the engine's timer runs every maintenanceIntervalMs: ends the
   * resume windows that are over (their extranonce1 values go back to the
   * allocator) and runs every live session's vardiff idle check. Public so
   * that an app (or a test) with its own scheduler can run it.
   */
  maintain(): void {
    const now = this.clock();
    this.holds.sweep(now);
    for (const session of this.sessions) session.checkIdle(now);
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.inFlight.add(work);
    const forget = (): void => {
      this.inFlight.delete(work);
    };
    work.then(forget, forget);
    return work;
  }
}
