import { JobLedger, Vardiff, targetFromDifficulty, targetToHex } from '@lode/mining';
import type { ShareVerdict } from '@lode/mining';
import { lazyChildLogger, LodeError } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { observe, secondsSince } from '../engine-metrics';
import type { JobBroadcast } from '../jobs/job-broadcast';
import type { ShareJudgement } from '../shares/share-judgement';
import { nextShareSequence } from '../stores/next-share-sequence';
import type { SessionRecord } from '../stores/session-record';
import type { ShareRecord } from '../stores/share-record';
import type { AuthorizeRequest } from './authorize-request';
import type { CreateSessionOptions } from './create-session-options';
import { difficultyText } from './difficulty-text';
import type { MinerInfo } from './miner-info';
import { newSessionId } from './new-session-id';
import type { SentJob } from './sent-job';
import type { SessionEvent } from './session-event';
import type { SessionServices } from './session-services';
import type { SubmitRequest } from './submit-request';
import type { SubscribeRequest } from './subscribe-request';
import type { SubscribeResult } from './subscribe-result';

/** Longest worker name accepted, characters. */
const MAX_WORKER_NAME = 128;
/** Most workers one connection may authorize (a proxy multiplexes a few; more is abuse). */
const MAX_WORKERS = 256;
/** Longest BIP 310 info string kept, characters (free text from the miner). */
const MAX_INFO_LENGTH = 256;
/** The members of MinerInfo, in the order they are copied. */
const INFO_KEYS = ['connectionUrl', 'hwVersion', 'swVersion', 'hwId'] as const;
/** Most recent jobs a closed session saves for resume (SessionRecord.jobs). */
const SAVED_JOBS = 8;
/** What a good share whose record failed is answered (issue 4: accepted only once recorded). */
const NOT_RECORDED: ShareVerdict = {
  accepted: false,
  reason: 'not-recorded',
  message: 'the share could not be recorded (store unavailable); submit it again',
};

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
 * next job; a job id is never sent twice to force a difficulty.
 *
 * The ledger also records the extranonce1 each job was sent with, and a
 * share is rebuilt with its job's one: after {@link reassignExtranonce1},
 * shares on jobs sent before the move still validate with the old value.
 *
 * Resume (field-notes §1.2; issue 4): a closed session saves its
 * extranonce1, workers, difficulty and newest jobs in the SessionStore; a
 * `subscribe` with its id, on this engine or on another instance sharing
 * the store, gets them back (see {@link subscribe}).
 *
 * BIP 310 extensions (specs/002_b8c80480aecfabab.txt) the dialect negotiates
 * and hands over: version rolling ({@link setVersionMask}, or a mask per
 * submit), `minimum-difficulty` ({@link setMinimumDifficulty}), `info`
 * ({@link setInfo}), and `subscribe-extranonce` (the app's choice after
 * {@link reassignExtranonce1}).
 */
export class MinerSession {
  /** made when events$ is first read: a session whose dialect listens by callback carries none */
  private eventsSubject: Subject<SessionEvent> | undefined;
  /** the one listener given to onEvent() */
  private listener: ((event: SessionEvent) => void) | undefined;
  private readonly ledger: JobLedger<SentJob>;
  private vardiff: Vardiff | undefined;
  private readonly workers = new Set<string>();
  /** ids of the newest jobs sent (at most SAVED_JOBS, newest last), saved for resume */
  private readonly recentJobs: string[] = [];
  /** the miner suggested a difficulty on this connection (it wins over a resumed one) */
  private suggested = false;
  private readonly logger: LodeLogger;
  private currentDifficulty: number;
  private currentTarget: bigint;
  private extranonce1: Buffer | undefined;
  private id: string | undefined;
  private subscribing: Promise<SubscribeResult> | undefined;
  private userAgent: string | undefined;
  /** the user agent told to EngineMetrics (set once, at the first subscribe) */
  private metricsAgent: string | undefined;
  private versionMask: number | undefined;
  private minimum: number | undefined;
  private minerInfo: MinerInfo | undefined;
  private activated = false;
  /** the clean re-send of the current job after reassignExtranonce1, on the next turn */
  private resend: NodeJS.Immediate | undefined;
  /** the next job goes out clean (the extranonce1 changed since the last one) */
  private cleanNext = false;
  private activation: NodeJS.Immediate | undefined;
  /** this session's registration with the JobManager (listen/unlisten), once running */
  private jobsListener: ((broadcast: JobBroadcast) => void) | undefined;
  private jobsSent = 0;
  private isClosed = false;

  /**
   * Everything the dialect must send, in order (see {@link SessionEvent}),
   * each just after the {@link onEvent} listener got it. Completes on
   * close() (at once for a subscriber after it).
   */
  get events$(): Observable<SessionEvent> {
    if (this.eventsSubject === undefined) {
      this.eventsSubject = new Subject<SessionEvent>();
      if (this.isClosed) this.eventsSubject.complete();
    }
    return this.eventsSubject.asObservable();
  }

  /**
   * Links the dialect by a plain callback instead of an `events$`
   * subscription (cheaper per session; docs/performance.md (a)): `listener`
   * gets every event, in order, just before `events$` emits it. A listener
   * that throws is logged; the session goes on. Set it before `authorize`
   * completes the handshake.
   *
   * @returns false, setting nothing, when a listener is already set
   */
  onEvent(listener: (event: SessionEvent) => void): boolean {
    if (this.listener !== undefined) return false;
    this.listener = listener;
    return true;
  }

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
    this.ledger = new JobLedger<SentJob>({ capacity: services.ledgerCapacity });
    this.vardiff =
      options.vardiff === undefined ? undefined : new Vardiff(options.vardiff, initialDifficulty, services.now());
    this.currentDifficulty = this.vardiff?.difficulty ?? initialDifficulty;
    this.currentTarget = targetFromDifficulty(this.currentDifficulty, services.plugin.diff1Target);
    // Made on first use: most sessions log nothing of their own.
    this.logger = lazyChildLogger(services.logger, { remoteAddress: options.remoteAddress, port: options.port });
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

  /** the BIP 310 minimum difficulty in force (see setMinimumDifficulty), undefined when none */
  get minimumDifficulty(): number | undefined {
    return this.minimum;
  }

  /** what the miner told about its device (BIP 310 `info`, see setInfo), undefined before */
  get info(): Readonly<MinerInfo> | undefined {
    return this.minerInfo;
  }

  /**
   * Gives the session its extranonce1. With a `sessionId` the SessionStore
   * knows (saved here or by another instance sharing the store) and whose
   * extranonce1 is free (held for it here, free in this allocator, or, with
   * ExtranonceLeases, not claimed by another instance), the session resumes:
   * the old extranonce1 and id, its workers (authorized again without a new
   * authorize; the WorkerAuthorizer is not asked again), its difficulty
   * (unless the miner suggested one on this connection already; a BIP 310
   * minimum still applies), and its saved jobs that the JobManager still
   * knows, each with its own target and extranonce1, so shares on them stay
   * valid and a share already submitted is still a duplicate. Otherwise a new
   * extranonce1 and a new random id. Calling it again returns the same
   * answer (with the extranonce1 in effect now, should reassignExtranonce1
   * have moved it).
   *
   * @throws LodeError('connection') when the session is closed, or the
   *   engine uses ExtranonceLeases and has not started;
   *   LodeError('protocol') from the allocator when every extranonce1 is in use
   */
  async subscribe(request: SubscribeRequest = {}): Promise<SubscribeResult> {
    if (this.isClosed) throw new LodeError('connection', 'subscribe on a closed session');
    this.subscribing ??= this.acquire(request);
    const result = await this.subscribing;
    return this.extranonce1 === undefined ? result : { ...result, extranonce1: Buffer.from(this.extranonce1) };
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
    if (this.minerInfo !== undefined) this.services.stats.setInfo(workerName, this.minerInfo);
    this.maybeActivate();
    return true;
  }

  /**
   * Applies a miner's suggested difficulty (`mining.suggest_difficulty`):
   * through Vardiff.suggest (clamped, and a floor for later retargets) with
   * vardiff, as is with fixed difficulty; in both cases never below the BIP
   * 310 minimum difficulty in force (setMinimumDifficulty). Applies from the
   * next job; emitted at once as a `difficulty` event when the session is
   * running.
   *
   * @param difficulty finite and > 0 (fractions allowed)
   * @returns the difficulty now in effect for new jobs
   * @throws LodeError('protocol') if difficulty is not a finite number > 0
   */
  suggestDifficulty(difficulty: number): number {
    if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
      throw new LodeError('protocol', `suggested difficulty must be a finite number > 0, got ${String(difficulty)}`);
    }
    const next =
      this.vardiff === undefined
        ? Math.max(difficulty, this.minimum ?? 0)
        : this.vardiff.suggest(difficulty, this.services.now());
    this.suggested = true;
    this.changeDifficulty(next);
    return this.currentDifficulty;
  }

  /**
   * Applies BIP 310 `minimum-difficulty` for this connection
   * (`"minimum-difficulty.value"`, may be configured again; 0 disables it).
   *
   * - 0 removes the floor.
   * - With vardiff: Vardiff.setMinimum. When the current difficulty is below
   *   the value it rises to it at once, emitted as a `difficulty` event
   *   (applies to the next job, as always); a lower value lets later
   *   retargets go down to it. The floor works beside a suggested one (the
   *   higher holds) and under the network difficulty, which wins.
   * - With fixed difficulty: a value above the current difficulty raises it
   *   (event); at or below it changes nothing now, but later suggestions are
   *   raised to it.
   *
   * Nothing changes when the value cannot be honoured: not a finite number
   * >= 0, above the port's maximum (vardiff maxDifficulty), or above the
   * network difficulty of the current job (a share harder than a block).
   *
   * @param value the minimum, stratum difficulty, finite and >= 0 (fractions allowed)
   * @returns true when applied (the dialect answers `"minimum-difficulty": true`);
   *   otherwise the reason, to answer as the extension's result string, e.g.
   *   "minimum difficulty 5e15 is above this port's maximum 1e15"
   * @see specs/002_b8c80480aecfabab.txt, extension "minimum-difficulty"
   */
  setMinimumDifficulty(value: number): true | string {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      return `minimum difficulty must be a finite number >= 0, got ${String(value)}`;
    }
    if (value > 0) {
      const max = this.options.vardiff?.maxDifficulty;
      if (max !== undefined && value > max) {
        return `minimum difficulty ${difficultyText(value)} is above this port's maximum ${difficultyText(max)}`;
      }
      const job = this.services.jobs.current;
      const network = job === undefined ? Number.POSITIVE_INFINITY : this.services.jobs.networkDifficulty(job);
      if (value > network) {
        return `minimum difficulty ${difficultyText(value)} is above the network difficulty ${difficultyText(network)} of the current job`;
      }
    }
    this.minimum = value === 0 ? undefined : value;
    if (this.vardiff !== undefined) {
      const next = this.vardiff.setMinimum(value, this.services.now());
      if (next !== undefined) this.changeDifficulty(next);
    } else if (value > this.currentDifficulty) {
      this.changeDifficulty(value);
    }
    return true;
  }

  /**
   * Keeps what the miner told about its device (BIP 310 `info`), replacing
   * what it told before: only string members, each cut to 256 characters.
   * It is attached to the statistics of every worker this session has
   * authorized or authorizes later (WorkerStatsEntry.info, the last one seen
   * per worker).
   *
   * @see specs/002_b8c80480aecfabab.txt, extension "info"
   */
  setInfo(info: MinerInfo): void {
    const kept: MinerInfo = {};
    for (const key of INFO_KEYS) {
      const value: unknown = info[key];
      if (typeof value === 'string') kept[key] = value.slice(0, MAX_INFO_LENGTH);
    }
    this.minerInfo = kept;
    if (this.isClosed) return;
    for (const worker of this.workers) this.services.stats.setInfo(worker, kept);
  }

  /**
   * Moves a live session to a fresh extranonce1 (e.g. a session handed to
   * another instance, or hashrate routing): allocates a new value, releases
   * the old one to the allocator, and, once the session is running, emits
   * the current job again as a clean `job` event on the next turn of the
   * event loop (recorded in the ledger with the new extranonce1 and the
   * current difficulty), so that the caller can first tell the miner: with
   * `mining.set_extranonce` when it subscribed to it (BIP 310
   * `subscribe-extranonce`, `mining.extranonce.subscribe`), else with
   * `client.reconnect`. Should a new job arrive first, that one goes out
   * clean instead.
   *
   * Shares keep validating across the move: the ledger records the
   * extranonce1 each job was sent with and a share is rebuilt with its job's,
   * so in-flight shares on jobs sent before the move use the old value. The
   * one exception is the current job, re-sent under its own id: from the
   * re-send on, its shares are judged with the new value, and a share made
   * from the old work on it fails ('low-difficulty'); the clean flag tells
   * the miner to drop that work. The old value may go to another session at
   * once; a share both could submit is the same header and caught as a
   * duplicate (the key includes extranonce1).
   *
   * @returns the new extranonce1 (raw bytes, a copy) and the extranonce2 size in bytes
   * @throws LodeError('connection') before subscribe or after close;
   *   LodeError('protocol') from the allocator when every extranonce1 is in
   *   use (nothing changed then)
   *
   * With ExtranonceLeases the new value is claimed in the background (this
   * call stays synchronous); a conflict with a session resumed on another
   * instance on exactly that value is logged.
   */
  reassignExtranonce1(): { extranonce1: Buffer; extranonce2Size: number } {
    if (this.isClosed) throw new LodeError('connection', 'reassignExtranonce1 on a closed session');
    const old = this.extranonce1;
    if (old === undefined) {
      throw new LodeError('connection', 'reassignExtranonce1 before subscribe: the session has no extranonce1 yet');
    }
    const fresh = this.services.extranonces.reassign(old);
    this.extranonce1 = fresh;
    this.logger.debug(
      { sessionId: this.id, from: old.toString('hex'), extranonce1: fresh.toString('hex') },
      'extranonce1 reassigned',
    );
    // Before activation the first job goes out with the new value anyway.
    if (this.activated && this.activation === undefined) {
      this.cleanNext = true;
      this.resend ??= setImmediate(() => {
        this.resend = undefined;
        const job = this.services.jobs.current;
        if (!this.isClosed && this.cleanNext && job !== undefined) this.sendJob({ job, clean: true });
      });
    }
    return { extranonce1: Buffer.from(fresh), extranonce2Size: this.services.extranonce2Size };
  }

  /**
   * Sets the version mask negotiated by the dialect (BIP 310 `mining.configure`
   * version-rolling), passed to the plugin's checkShare and buildHeader with
   * every share that carries no `versionMask` of its own (SubmitRequest);
   * undefined = no version rolling.
   */
  setVersionMask(mask: number | undefined): void {
    this.versionMask = mask;
  }

  /**
   * Judges one share (see ShareValidator for the rules), records the verdict
   * in the ShareStore (a ShareRecord with `id` "<instanceId>:<sequence>",
   * `instance` and the version bits) and waits for it, then: feeds an
   * accepted one to vardiff (a change is emitted at once as a `difficulty`
   * event and applies to the next job) and counts it in the stats.
   *
   * A share is answered accepted only once its record is stored (issue 4):
   * when `shareStore.record` rejects, an accepted verdict becomes
   * 'not-recorded' ("the share could not be recorded (store unavailable);
   * submit it again"), counted as that rejection, not credited, and the same
   * share submitted again to this engine is not called a duplicate. A block
   * is submitted to the node all the same. A rejected share whose record
   * fails keeps its verdict; both failures are logged.
   *
   * @returns the verdict: before subscribe, after close or while the engine
   *   stops 'not-subscribed';
   *   a worker not authorized here 'unauthorized'; 'not-recorded' as above;
   *   else the validator's
   * @throws whatever the plugin's buildHeader or hasher throws
   */
  submit(request: SubmitRequest): Promise<ShareVerdict> {
    if (this.services.stopping()) {
      return Promise.resolve({ accepted: false, reason: 'not-subscribed', message: 'the pool is stopping' });
    }
    return this.judgeAndRecord(request);
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
   * keeps its extranonce1 reserved for the resume window: saved in the
   * SessionStore (extranonce1, workers, difficulty, the newest 8 jobs with
   * their targets), and held by this engine's allocator until the window
   * ends, so no other session gets it meanwhile. With ExtranonceLeases its
   * cluster claim is dropped, so that the miner may resume on any instance.
   * If the save fails the value is released at once. Idempotent.
   *
   * @param options.abandon the miner ended the session for good
   *   (EthereumStratum/2.0.0 `mining.bye`: "no session resuming will be
   *   possible"): nothing is saved and the extranonce1 is released at once
   */
  async close(options: { abandon?: boolean } = {}): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    if (this.activation !== undefined) clearImmediate(this.activation);
    if (this.resend !== undefined) clearImmediate(this.resend);
    this.resend = undefined;
    if (this.jobsListener !== undefined) this.services.jobs.unlisten(this.jobsListener);
    this.jobsListener = undefined;
    this.eventsSubject?.complete();
    this.services.closed(this);
    observe(this.services.metrics, 'sessionClosed', this.options.dialect ?? 'unknown', this.metricsAgent);
    // A subscribe still in flight owns an extranonce1 only once it settles.
    const subscribed = await this.subscribing?.catch(() => undefined);
    if (subscribed === undefined || this.id === undefined || this.extranonce1 === undefined) return;
    if (options.abandon === true) {
      this.services.extranonces.release(this.extranonce1);
      return;
    }
    await this.release(this.id, this.extranonce1);
  }

  private async acquire(request: SubscribeRequest): Promise<SubscribeResult> {
    this.userAgent = request.userAgent;
    this.metricsAgent = request.userAgent ?? '';
    observe(this.services.metrics, 'sessionSubscribed', this.options.dialect ?? 'unknown', this.metricsAgent);
    const { extranonces } = this.services;
    const resumed = await this.resumable(request.sessionId);
    const extranonce1 = resumed?.extranonce1 ?? (await extranonces.allocate());
    const id = resumed?.id ?? newSessionId();
    if (this.isClosed) {
      // Closed while the store answered: nobody will use this value.
      extranonces.release(extranonce1);
      throw new LodeError('connection', 'session closed during subscribe');
    }
    this.extranonce1 = extranonce1;
    this.id = id;
    if (resumed !== undefined) this.restore(resumed.record);
    this.logger.debug(
      { sessionId: id, extranonce1: extranonce1.toString('hex'), userAgent: this.userAgent, resumed: resumed !== undefined },
      resumed === undefined ? 'subscribed' : 'resumed',
    );
    this.maybeActivate();
    return { extranonce1: Buffer.from(extranonce1), extranonce2Size: this.services.extranonce2Size, sessionId: id };
  }

  /** the saved session `asked` names, with its extranonce1 taken back, or undefined */
  private async resumable(
    asked: string | undefined,
  ): Promise<{ id: string; extranonce1: Buffer; record: SessionRecord } | undefined> {
    if (typeof asked !== 'string' || !/^[0-9a-f]{16}$/i.test(asked)) return undefined;
    const id = asked.toLowerCase();
    let record: SessionRecord | undefined;
    try {
      record = await this.services.sessionStore.take(id);
    } catch (error) {
      this.logger.error({ err: error, sessionId: id }, 'session store failed; starting a new session');
      return undefined;
    }
    if (record === undefined || typeof record.extranonce1 !== 'string' || !/^([0-9a-f]{2})+$/i.test(record.extranonce1)) {
      return undefined;
    }
    const extranonce1 = Buffer.from(record.extranonce1, 'hex');
    // Held here since its session closed, free here, or (leases) free in the cluster.
    if (!(await this.services.extranonces.resume(id, extranonce1))) return undefined;
    return { id, extranonce1, record };
  }

  /** Takes back what a resumed session saved; entries that do not parse are skipped (the store is outside data). */
  private restore(record: SessionRecord): void {
    const now = this.services.now();
    for (const worker of Array.isArray(record.workers) ? record.workers : []) {
      if (typeof worker !== 'string' || worker.length === 0 || worker.length > MAX_WORKER_NAME) continue;
      if (this.workers.size >= MAX_WORKERS) break;
      this.workers.add(worker);
      if (this.minerInfo !== undefined) this.services.stats.setInfo(worker, this.minerInfo);
    }
    const saved = record.difficulty;
    if (!this.suggested && typeof saved === 'number' && Number.isFinite(saved) && saved > 0) {
      if (this.options.vardiff === undefined) {
        this.changeDifficulty(Math.max(saved, this.minimum ?? 0));
      } else {
        // A new Vardiff is the one way to start it at a given difficulty (clamped to the port's range).
        this.vardiff = new Vardiff(this.options.vardiff, saved, now);
        if (this.minimum !== undefined) this.vardiff.setMinimum(this.minimum, now);
        this.changeDifficulty(this.vardiff.difficulty);
      }
    }
    for (const job of Array.isArray(record.jobs) ? record.jobs : []) {
      if (typeof job !== 'object' || job === null || typeof job.jobId !== 'string') continue;
      const known = this.services.jobs.get(job.jobId);
      if (
        known === undefined ||
        typeof job.target !== 'string' ||
        !/^[0-9a-f]{64}$/i.test(job.target) ||
        typeof job.difficulty !== 'number' ||
        !Number.isFinite(job.difficulty) ||
        job.difficulty <= 0 ||
        typeof job.extranonce1 !== 'string' ||
        !/^([0-9a-f]{2})+$/i.test(job.extranonce1)
      ) {
        continue;
      }
      const target = BigInt(`0x${job.target}`);
      if (target === 0n) continue;
      this.ledger.record(job.jobId, { job: known.job, extranonce1: Buffer.from(job.extranonce1, 'hex') }, target, job.difficulty, now);
      this.noteJob(job.jobId);
    }
  }

  private async release(id: string, extranonce1: Buffer): Promise<void> {
    const { extranonces, sessionStore, resumeWindowMs } = this.services;
    if (resumeWindowMs <= 0) {
      extranonces.release(extranonce1);
      return;
    }
    const expiresAt = this.services.now() + resumeWindowMs;
    extranonces.hold(id, extranonce1, expiresAt);
    try {
      await sessionStore.save(id, this.resumeRecord(extranonce1, expiresAt));
    } catch (error) {
      this.logger.error({ err: error, sessionId: id }, 'session store failed; extranonce1 released without resume');
      extranonces.cancelHold(id);
    }
  }

  /** what this session leaves for resume (SessionRecord), its newest jobs last */
  private resumeRecord(extranonce1: Buffer, expiresAt: number): SessionRecord {
    const jobs: NonNullable<SessionRecord['jobs']> = [];
    for (const jobId of this.recentJobs) {
      const entry = this.ledger.lookup(jobId);
      if (entry === undefined) continue;
      jobs.push({
        jobId,
        target: targetToHex(entry.target),
        difficulty: entry.difficulty,
        extranonce1: entry.job.extranonce1.toString('hex'),
      });
    }
    return {
      extranonce1: extranonce1.toString('hex'),
      expiresAt,
      workers: [...this.workers],
      difficulty: this.currentDifficulty,
      jobs,
    };
  }

  /** keeps `jobId` as the newest of the jobs saved for resume */
  private noteJob(jobId: string): void {
    const at = this.recentJobs.indexOf(jobId);
    if (at >= 0) this.recentJobs.splice(at, 1);
    this.recentJobs.push(jobId);
    if (this.recentJobs.length > SAVED_JOBS) this.recentJobs.shift();
  }

  private maybeActivate(): void {
    if (this.activated || this.isClosed || this.extranonce1 === undefined || this.workers.size === 0) return;
    this.activated = true;
    this.activation = setImmediate(() => {
      this.activation = undefined;
      if (this.isClosed) return;
      this.emit({ type: 'difficulty', difficulty: this.currentDifficulty });
      if (this.isClosed) return;
      // listen() gives the current job at once, then every new one.
      this.jobsListener = (broadcast) => this.sendJob(broadcast);
      this.services.jobs.listen(this.jobsListener);
    });
  }

  private sendJob({ job, clean }: JobBroadcast): void {
    const { extranonce1 } = this;
    if (this.isClosed || extranonce1 === undefined) return;
    if (this.vardiff !== undefined) {
      // A share harder than a block is pointless: cap at the network difficulty.
      const capped = this.vardiff.setCeiling(this.services.jobs.networkDifficulty(job), this.services.now());
      if (capped !== undefined) this.changeDifficulty(capped);
    }
    this.ledger.record(job.id, { job, extranonce1 }, this.currentTarget, this.currentDifficulty, this.services.now());
    this.noteJob(job.id);
    // The first job a session gets replaces whatever work the miner had, and
    // so does the first one after an extranonce1 move.
    const first = this.jobsSent === 0;
    const moved = this.cleanNext;
    this.cleanNext = false;
    this.jobsSent++;
    this.emit({ type: 'job', job, clean: clean || first || moved, difficulty: this.currentDifficulty });
  }

  private emit(event: SessionEvent): void {
    if (this.listener !== undefined) {
      try {
        this.listener(event);
      } catch (error) {
        this.logger.error({ err: error, event: event.type }, 'session event listener threw');
      }
    }
    this.eventsSubject?.next(event);
  }

  private changeDifficulty(difficulty: number): void {
    if (difficulty === this.currentDifficulty) return;
    observe(this.services.metrics, 'difficultyChanged', this.currentDifficulty, difficulty);
    this.currentDifficulty = difficulty;
    this.currentTarget = targetFromDifficulty(difficulty, this.services.plugin.diff1Target);
    if (this.activated && this.activation === undefined && !this.isClosed) {
      this.emit({ type: 'difficulty', difficulty });
    }
  }

  private async judgeAndRecord(request: SubmitRequest): Promise<ShareVerdict> {
    const { services } = this;
    // Counted before the first await, so that a stop() beginning now waits for this share.
    services.submitStarted();
    try {
      const now = services.now();
      const started = process.hrtime.bigint();
      const judgement = await this.judge(request);
      const validationSeconds = secondsSince(started);
      let { verdict } = judgement;
      const job = judgement.job ?? services.jobs.current;
      const record: ShareRecord = {
        id: `${services.instanceId}:${nextShareSequence()}`,
        instance: services.instanceId,
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
        ...(request.versionBits === undefined ? {} : { versionBits: request.versionBits }),
        time: now,
      };
      try {
        await services.shareStore.record(record);
      } catch (error) {
        const fields = { err: error, worker: request.workerName, jobId: request.jobId, shareId: record.id };
        if (verdict.accepted) {
          this.logger.error(fields, "share store failed to record an accepted share; answered 'not-recorded'");
          services.validator.allowResubmit(judgement);
          verdict = NOT_RECORDED;
        } else {
          this.logger.error(fields, 'share store failed to record a rejected share');
        }
      }
      if (verdict.accepted && this.vardiff !== undefined && !this.isClosed) {
        const next = this.vardiff.recordShare(now, verdict.difficulty);
        if (next !== undefined) this.changeDifficulty(next);
      }
      observe(
        services.metrics,
        'shareJudged',
        verdict.accepted ? 'accepted' : 'rejected',
        verdict.accepted ? (verdict.stale === true ? 'stale' : 'none') : verdict.reason,
        validationSeconds,
      );
      // A name that was never authorized only counts in the pool totals: anyone
      // could otherwise push real workers out of the bounded per-worker table.
      const known = verdict.accepted || (verdict.reason !== 'unauthorized' && verdict.reason !== 'not-subscribed');
      services.stats.record(
        known ? request.workerName : undefined,
        verdict.accepted ? 'accepted' : verdict.reason,
        verdict.accepted ? verdict.difficulty : 0,
        now,
      );
      return verdict;
    } finally {
      services.submitEnded();
    }
  }

  private async judge(request: SubmitRequest): Promise<ShareJudgement> {
    if (this.isClosed || this.extranonce1 === undefined) {
      const message = this.isClosed ? 'the session is closed' : 'submit before subscribe';
      return { verdict: { accepted: false, reason: 'not-subscribed', message } };
    }
    if (!this.workers.has(request.workerName)) {
      return {
        verdict: { accepted: false, reason: 'unauthorized', message: `worker ${request.workerName} is not authorized on this session` },
      };
    }
    const entry = this.ledger.lookup(request.jobId);
    const versionMask = request.versionMask ?? this.versionMask;
    return this.services.validator.validate({
      share: {
        jobId: request.jobId,
        // the value the job was sent with: it may have moved since (reassignExtranonce1)
        extranonce1: request.extranonce1 ?? entry?.job.extranonce1 ?? this.extranonce1,
        extranonce2: request.extranonce2,
        ntime: request.ntime,
        nonce: request.nonce,
        ...(request.versionBits === undefined ? {} : { versionBits: request.versionBits }),
        ...(versionMask === undefined ? {} : { versionMask }),
        ...(request.seal === undefined ? {} : { seal: request.seal }),
      },
      entry,
      current: { target: this.currentTarget, difficulty: this.currentDifficulty },
      worker: request.workerName,
    });
  }
}
