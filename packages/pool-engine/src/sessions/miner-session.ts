import { JobLedger, Vardiff, targetFromDifficulty } from '@lode/mining';
import type { ShareVerdict } from '@lode/mining';
import type { CoinJob } from '@lode/plugin-api';
import { LodeError } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';
import type { Observable, Subscription } from 'rxjs';
import type { JobBroadcast } from '../jobs/job-broadcast';
import type { ShareJudgement } from '../shares/share-judgement';
import type { AuthorizeRequest } from './authorize-request';
import type { CreateSessionOptions } from './create-session-options';
import { newSessionId } from './new-session-id';
import type { SessionEvent } from './session-event';
import type { SessionServices } from './session-services';
import type { SubmitRequest } from './submit-request';
import type { SubscribeRequest } from './subscribe-request';
import type { SubscribeResult } from './subscribe-result';

/** Longest worker name accepted, characters. */
const MAX_WORKER_NAME = 128;
/** Most workers one connection may authorize (a proxy multiplexes a few; more is abuse). */
const MAX_WORKERS = 256;

/**
 * One miner connection as the engine sees it, whatever the dialect: the
 * dialect server turns requests into calls here and {@link events$} into
 * notifications. Created by {@link PoolEngine.createSession}.
 *
 * Life cycle: `subscribe` and `authorize` in either order; once both have
 * succeeded the session emits its current difficulty, then the current job,
 * then every new job; `submit` judges shares; `close` ends it. The first
 * events are emitted on the next turn of the event loop (setImmediate), so
 * that the reply to the call that completed the handshake goes out first
 * (cpuminer reads the line after its subscribe as the reply,
 * facts/bitcoin-stratum.md "Message flow real miners use"). Subscribe to
 * `events$` before calling `authorize`.
 *
 * Difficulty belongs to the job (DESIGN.md; specs/000_f8fc60f969bbc43e.txt):
 * every job event records the job in the session's JobLedger with the target
 * in effect at that moment; a share is judged at its own job's target, or the
 * current one when that is easier, and credited at the one applied. A new
 * difficulty is emitted at once as a `difficulty` event and applies from the
 * next job; a job id is never sent twice.
 */
export class MinerSession {
  private readonly eventsSubject = new Subject<SessionEvent>();
  private readonly ledger: JobLedger<CoinJob>;
  private readonly vardiff: Vardiff | undefined;
  private readonly workers = new Set<string>();
  private readonly logger: LodeLogger;
  private currentDifficulty: number;
  private currentTarget: bigint;
  private extranonce1: Buffer | undefined;
  private id: string | undefined;
  private subscribing: Promise<SubscribeResult> | undefined;
  private userAgent: string | undefined;
  private versionMask: number | undefined;
  private activated = false;
  private activation: NodeJS.Immediate | undefined;
  private jobsSubscription: Subscription | undefined;
  private jobsSent = 0;
  private isClosed = false;

  /**
   * Everything the dialect must send, in order (see {@link SessionEvent}).
   * Completes on close().
   */
  readonly events$: Observable<SessionEvent> = this.eventsSubject.asObservable();

  /**
   * @throws LodeError('config') if initialDifficulty is not finite and > 0, or
   *   the vardiff options are invalid
   */
  constructor(
    private readonly services: SessionServices,
    readonly options: CreateSessionOptions,
  ) {
    const { initialDifficulty } = options;
    if (typeof initialDifficulty !== 'number' || !Number.isFinite(initialDifficulty) || initialDifficulty <= 0) {
      throw new LodeError('config', `initialDifficulty must be a finite number > 0, got ${String(initialDifficulty)}`);
    }
    this.ledger = new JobLedger<CoinJob>({ capacity: services.ledgerCapacity });
    this.vardiff =
      options.vardiff === undefined ? undefined : new Vardiff(options.vardiff, initialDifficulty, services.now());
    this.currentDifficulty = this.vardiff?.difficulty ?? initialDifficulty;
    this.currentTarget = targetFromDifficulty(this.currentDifficulty, services.plugin.diff1Target);
    this.logger = services.logger.child({ remoteAddress: options.remoteAddress, port: options.port });
  }

  /** the session id (16 hex digits) once subscribed */
  get sessionId(): string | undefined {
    return this.id;
  }

  /** the current share difficulty (applies to the next job) */
  get difficulty(): number {
    return this.currentDifficulty;
  }

  /** true once close() was called */
  get closed(): boolean {
    return this.isClosed;
  }

  /** the workers authorized on this session */
  get authorizedWorkers(): readonly string[] {
    return [...this.workers];
  }

  /**
   * Gives the session its extranonce1. With a `sessionId` the SessionStore
   * knows and whose extranonce1 is free (or held for it), the old
   * extranonce1 and id are given back (resume); otherwise a new extranonce1
   * and a new random id. Calling it again returns the same answer.
   *
   * @throws LodeError('connection') when the session is closed;
   *   LodeError('protocol') from the allocator when every extranonce1 is in use
   */
  async subscribe(request: SubscribeRequest = {}): Promise<SubscribeResult> {
    if (this.isClosed) throw new LodeError('connection', 'subscribe on a closed session');
    this.subscribing ??= this.acquire(request);
    return this.subscribing;
  }

  /**
   * Authorizes a worker: the name must be a non-empty string of at most 128
   * characters, then the engine's WorkerAuthorizer decides (default: yes; the
   * password is not checked). Several workers may be authorized on one
   * session. The first success after subscribe starts the events.
   *
   * @returns true when the worker may submit
   */
  async authorize(request: AuthorizeRequest): Promise<boolean> {
    const { workerName } = request;
    if (this.isClosed) return false;
    if (typeof workerName !== 'string' || workerName.length === 0 || workerName.length > MAX_WORKER_NAME) {
      this.logger.info({ workerName }, `worker name must be 1 to ${MAX_WORKER_NAME} characters`);
      return false;
    }
    if (!this.workers.has(workerName) && this.workers.size >= MAX_WORKERS) {
      this.logger.warn({ workerName }, `session already has ${MAX_WORKERS} workers; refused`);
      return false;
    }
    let allowed: boolean;
    try {
      allowed = await this.services.authorizeWorker({
        workerName,
        password: request.password,
        remoteAddress: this.options.remoteAddress,
        sessionId: this.id,
      });
    } catch (error) {
      this.logger.error({ err: error, workerName }, 'worker authorizer failed; worker refused');
      allowed = false;
    }
    if (!allowed || this.isClosed) return false;
    this.workers.add(workerName);
    this.maybeActivate();
    return true;
  }

  /**
   * Applies a miner's suggested difficulty (`mining.suggest_difficulty`):
   * through Vardiff.suggest (clamped, and a floor for later retargets) with
   * vardiff, as is with fixed difficulty. Applies from the next job; emitted
   * at once as a `difficulty` event when the session is running.
   *
   * @param difficulty finite and > 0 (fractions allowed)
   * @returns the difficulty now in effect for new jobs
   * @throws LodeError('protocol') if difficulty is not a finite number > 0
   */
  suggestDifficulty(difficulty: number): number {
    if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `suggested difficulty must be a finite number > 0, got ${String(difficulty)}`);
    }
    const next = this.vardiff === undefined ? difficulty : this.vardiff.suggest(difficulty, this.services.now());
    this.changeDifficulty(next);
    return this.currentDifficulty;
  }

  /**
   * Sets the version mask negotiated by the dialect (BIP 310 `mining.configure`
   * version-rolling), passed to the plugin's checkShare with every share;
   * undefined = no version rolling.
   */
  setVersionMask(mask: number | undefined): void {
    this.versionMask = mask;
  }

  /**
   * Judges one share (see ShareValidator for the rules), then: counts it in
   * the stats, feeds an accepted one to vardiff (a change is emitted at once
   * as a `difficulty` event and applies to the next job), and records the
   * verdict in the ShareStore. A store failure is logged and does not change
   * the verdict.
   *
   * @returns the verdict: before subscribe, after close or while the engine
   *   stops 'not-subscribed';
   *   a worker not authorized here 'unauthorized'; else the validator's
   * @throws whatever the plugin's buildHeader or hasher throws
   */
  submit(request: SubmitRequest): Promise<ShareVerdict> {
    if (this.services.stopping()) {
      return Promise.resolve({ accepted: false, reason: 'not-subscribed', message: 'the pool is stopping' });
    }
    return this.services.track(this.judgeAndRecord(request));
  }

  /**
   * Vardiff's idle check (the engine calls it from its one timer): a miner
   * silent for long gets a lower difficulty, emitted as a `difficulty` event.
   *
   * @param now ms since epoch
   */
  checkIdle(now: number): void {
    if (this.vardiff === undefined || !this.activated || this.isClosed) return;
    const next = this.vardiff.checkIdle(now);
    if (next !== undefined) this.changeDifficulty(next);
  }

  /**
   * Ends the session: stops its job subscription, completes events$, and
   * keeps its extranonce1 reserved for the resume window (saved in the
   * SessionStore; the allocator keeps it claimed until the window ends, so no
   * other session gets it meanwhile). If the save fails the value is released
   * at once. Idempotent.
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.activation !== undefined) clearImmediate(this.activation);
    this.jobsSubscription?.unsubscribe();
    this.eventsSubject.complete();
    this.services.closed(this);
    // A subscribe still in flight owns an extranonce1 only once it settles.
    const subscribed = await this.subscribing?.catch(() => undefined);
    if (subscribed === undefined || this.id === undefined || this.extranonce1 === undefined) return;
    await this.release(this.id, this.extranonce1);
  }

  private async acquire(request: SubscribeRequest): Promise<SubscribeResult> {
    this.userAgent = request.userAgent;
    const { allocator, holds, sessionStore } = this.services;
    let resumed: { id: string; extranonce1: Buffer } | undefined;
    const asked = request.sessionId;
    if (typeof asked === 'string' && /^[0-9a-f]{16}$/i.test(asked)) {
      const id = asked.toLowerCase();
      try {
        const record = await sessionStore.take(id);
        if (record !== undefined) {
          const extranonce1 = Buffer.from(record.extranonce1, 'hex');
          // Held here since its session closed, or free (saved by another instance or before a restart).
          if (holds.take(id, extranonce1) || allocator.claim(extranonce1)) resumed = { id, extranonce1 };
        }
      } catch (error) {
        this.logger.error({ err: error, sessionId: id }, 'session store failed; starting a new session');
      }
    }
    const extranonce1 = resumed?.extranonce1 ?? allocator.allocate();
    const id = resumed?.id ?? newSessionId();
    if (this.isClosed) {
      // Closed while the store answered: nobody will use this value.
      allocator.release(extranonce1);
      throw new LodeError('connection', 'session closed during subscribe');
    }
    this.extranonce1 = extranonce1;
    this.id = id;
    this.logger.debug(
      { sessionId: id, extranonce1: extranonce1.toString('hex'), userAgent: this.userAgent, resumed: resumed !== undefined },
      resumed === undefined ? 'subscribed' : 'resumed',
    );
    this.maybeActivate();
    return { extranonce1: Buffer.from(extranonce1), extranonce2Size: this.services.extranonce2Size, sessionId: id };
  }

  private async release(id: string, extranonce1: Buffer): Promise<void> {
    const { allocator, holds, sessionStore, resumeWindowMs } = this.services;
    if (resumeWindowMs <= 0) {
      allocator.release(extranonce1);
      return;
    }
    const expiresAt = this.services.now() + resumeWindowMs;
    holds.hold(id, extranonce1, expiresAt);
    try {
      await sessionStore.save(id, { extranonce1: extranonce1.toString('hex'), expiresAt });
    } catch (error) {
      this.logger.error({ err: error, sessionId: id }, 'session store failed; extranonce1 released without resume');
      holds.cancel(id);
    }
  }

  private maybeActivate(): void {
    if (this.activated || this.isClosed || this.extranonce1 === undefined || this.workers.size === 0) return;
    this.activated = true;
    this.activation = setImmediate(() => {
      this.activation = undefined;
      if (this.isClosed) return;
      this.eventsSubject.next({ type: 'difficulty', difficulty: this.currentDifficulty });
      // jobs$ replays the current job at once, then every new one.
      this.jobsSubscription = this.services.jobs.jobs$.subscribe((broadcast) => this.sendJob(broadcast));
    });
  }

  private sendJob({ job, clean }: JobBroadcast): void {
    if (this.isClosed) return;
    if (this.vardiff !== undefined) {
      // A share harder than a block is pointless: cap at the network difficulty.
      const capped = this.vardiff.setCeiling(this.services.jobs.networkDifficulty(job), this.services.now());
      if (capped !== undefined) this.changeDifficulty(capped);
    }
    this.ledger.record(job.id, job, this.currentTarget, this.currentDifficulty, this.services.now());
    // The first job a session gets replaces whatever work the miner had.
    const first = this.jobsSent === 0;
    this.jobsSent++;
    this.eventsSubject.next({ type: 'job', job, clean: clean || first, difficulty: this.currentDifficulty });
  }

  private changeDifficulty(difficulty: number): void {
    if (difficulty === this.currentDifficulty) return;
    this.currentDifficulty = difficulty;
    this.currentTarget = targetFromDifficulty(difficulty, this.services.plugin.diff1Target);
    if (this.activated && this.activation === undefined && !this.isClosed) {
      this.eventsSubject.next({ type: 'difficulty', difficulty });
    }
  }

  private async judgeAndRecord(request: SubmitRequest): Promise<ShareVerdict> {
    const { services } = this;
    const now = services.now();
    const judgement = this.judge(request);
    const { verdict } = judgement;
    if (verdict.accepted && this.vardiff !== undefined && !this.isClosed) {
      const next = this.vardiff.recordShare(now, verdict.difficulty);
      if (next !== undefined) this.changeDifficulty(next);
    }
    // A name that was never authorized only counts in the pool totals: anyone
    // could otherwise push real workers out of the bounded per-worker table.
    const known = verdict.accepted || (verdict.reason !== 'unauthorized' && verdict.reason !== 'not-subscribed');
    services.stats.record(
      known ? request.workerName : undefined,
      verdict.accepted ? 'accepted' : verdict.reason,
      verdict.accepted ? verdict.difficulty : 0,
      now,
    );
    const job = judgement.job ?? services.jobs.current;
    try {
      await services.shareStore.record({
        coin: services.plugin.id,
        worker: request.workerName,
        jobId: request.jobId,
        height: job?.height ?? 0,
        difficulty: verdict.accepted ? verdict.difficulty : 0,
        shareDifficulty: judgement.shareDifficulty ?? 0,
        networkDifficulty: job === undefined ? 0 : services.jobs.networkDifficulty(job),
        verdict: verdict.accepted ? 'accepted' : verdict.reason,
        ...(verdict.accepted ? {} : { message: verdict.message }),
        ...(judgement.blockHash === undefined ? {} : { blockHash: judgement.blockHash }),
        remoteAddress: this.options.remoteAddress,
        time: now,
      });
    } catch (error) {
      this.logger.error({ err: error, worker: request.workerName, jobId: request.jobId }, 'share store failed to record a share');
    }
    return verdict;
  }

  private judge(request: SubmitRequest): ShareJudgement {
    if (this.isClosed || this.extranonce1 === undefined) {
      const message = this.isClosed ? 'the session is closed' : 'submit before subscribe';
      return { verdict: { accepted: false, reason: 'not-subscribed', message } };
    }
    if (!this.workers.has(request.workerName)) {
      return {
        verdict: { accepted: false, reason: 'unauthorized', message: `worker ${request.workerName} is not authorized on this session` },
      };
    }
    return this.services.validator.validate({
      share: {
        jobId: request.jobId,
        extranonce1: this.extranonce1,
        extranonce2: request.extranonce2,
        ntime: request.ntime,
        nonce: request.nonce,
        ...(request.versionBits === undefined ? {} : { versionBits: request.versionBits }),
        ...(this.versionMask === undefined ? {} : { versionMask: this.versionMask }),
      },
      entry: this.ledger.lookup(request.jobId),
      current: { target: this.currentTarget, difficulty: this.currentDifficulty },
      worker: request.workerName,
    });
  }
}
