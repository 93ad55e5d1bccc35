import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BitcoinClientSession, type ConfigureRequest, type ConfigureResult, type NotifyParams } from '@lode/dialect-bitcoin';
import type { CoinPlugin, ScanHit, ScanResult } from '@lode/plugin-api';
import {
  classicCodec,
  connectStratum,
  LodeError,
  type LodeLogger,
  parseStratumUrl,
  RpcPeer,
  silentLogger,
  type StratumConnection,
} from '@lode/stratum-core';
import { firstValueFrom, Observable, Subject, Subscription } from 'rxjs';
import { Backoff } from './backoff';
import { MINER_VERSION, type MinerEvent, type MinerOptions, type MinerStats } from './miner-options';
import { chunkSize, expectedHashesPerHit } from './scan/chunk-size';
import { type ExtranonceAssignment, type ScanChunk, ScanWork, submitVersionBits } from './scan/scan-work';
import { formatHashrate } from '@lode/mining';
import { HashrateMeter } from './stats/hashrate-meter';

/** A job as the Bitcoin client session hands it out, its difficulty already bound. */
interface JobArrival {
  params: NotifyParams;
  difficulty: number;
  receivedAt: number;
}

/** Where to connect: the parts of a stratum URL the miner keeps. */
interface Endpoint {
  scheme: string;
  host: string;
  port: number;
}

/** One connection to the pool and what it has told us. */
interface Link {
  readonly url: string;
  readonly conn: StratumConnection;
  readonly session: BitcoinClientSession;
  extranonce?: ExtranonceAssignment;
  /** from `mining.set_extranonce`: applies from the next job */
  staged?: ExtranonceAssignment;
  /** a job that came before the subscribe result told us extranonce1 */
  early?: JobArrival;
  authorized: boolean;
  /**
   * the BIP 310 version mask in force (from the `mining.configure` result,
   * then `mining.set_version_mask`); undefined while version rolling is not
   * negotiated on this connection
   */
  versionMask?: number;
  /** whether the `mining.configure` exchange is over (answered, refused, or not sent) */
  configured: boolean;
}

/** A job being scanned, tied to the connection and the clean-job epoch it came in. */
interface ActiveWork {
  readonly work: ScanWork;
  readonly link: Link;
  readonly epoch: number;
}

/** How long stop() waits for the answers to shares already submitted, in ms. */
const STOP_SUBMIT_GRACE_MS = 2000;

/** The mask asked for in `version-rolling.mask` by default: every bit (BIP 310's default, what ASIC firmware sends). */
const DEFAULT_VERSION_ROLLING_MASK = 0xffffffff;

/**
 * A Stratum v1 (SHA-256d) miner: one connection to a pool through the Bitcoin
 * client session, and a scanning loop over the coin plugin's native hasher.
 *
 * - Handshake: `mining.configure` first, as ASIC firmware does (BIP 310;
 *   unless `configure: false`), asking for `version-rolling` (the miner's
 *   mask, default ffffffff), `minimum-difficulty` when given,
 *   `subscribe-extranonce` and `info`; a pool that refuses it (an error such
 *   as -32601) or stays silent (10 s) is mined without rolling, and one that
 *   closes the connection on it is reconnected to without it from then on. Then
 *   `mining.subscribe` (with the previous session id on a reconnect, so the
 *   pool can hand back the same extranonce1), `mining.extranonce.subscribe`
 *   (unless `subscribe-extranonce` was granted by configure) and
 *   `mining.suggest_difficulty` when asked (neither waited for), then
 *   `mining.authorize`.
 * - Version rolling (BIP 310): with a negotiated mask each header carries
 *   version bits from a counter over the mask's subsets (see ScanWork for the
 *   search order) and every share is submitted with them as the 6th param.
 *   `mining.set_version_mask` applies at once: the next header uses the new
 *   mask, and hits of the current chunk that no submit can describe under it
 *   are counted stale.
 * - Jobs: every job from the session replaces the current work; the scan
 *   picks the new one up at the next chunk boundary (chunks are sized to about
 *   0.375 s of work). Each job carries the share target of the difficulty the
 *   session bound to it (DESIGN.md "Difficulty belongs to the job") and the
 *   extranonce in effect when it arrived; `mining.set_extranonce` applies from
 *   the next job. When a job's 2^32 nonces are used up, the next extranonce2
 *   (a big-endian counter from 0) gives a new header.
 * - Shares: every hit is submitted with the job's id, extranonce2 and ntime;
 *   the pool's answer counts it accepted or rejected. Hits of a job that a
 *   clean job replaced, or of a connection that is gone, are counted stale and
 *   not sent (the pool would refuse them). At most `maxInFlightSubmits` wait
 *   for an answer; hits beyond are dropped and counted.
 * - Connection: reconnects after a close with backoff (1 s doubling to 60 s,
 *   reset after a successful authorize), and on `client.reconnect` goes to the
 *   given host/port after the given wait.
 *
 * Every step is logged (lines starting `miner: `, see main.ts --help) and
 * reported on `events$`.
 */
export class Miner {
  /** what happens, in order (see MinerEvent); completes when the miner has stopped */
  readonly events$: Observable<MinerEvent>;
  private readonly eventsSubject = new Subject<MinerEvent>();
  private readonly coin: CoinPlugin;
  private readonly log: LodeLogger;
  private readonly backoff: Backoff;
  private readonly password: string;
  private readonly userAgent: string;
  private readonly statsIntervalMs: number;
  private readonly maxInFlight: number;
  private endpoint: Endpoint;
  private meter = new HashrateMeter(performance.now());
  private counters = { accepted: 0, rejected: 0, stale: 0, dropped: 0, lost: 0 };
  private submittedCount = 0;
  private lastWindowRate = 0;
  private link: Link | undefined;
  private active: ActiveWork | undefined;
  private epoch = 0;
  private sessionId: string | undefined;
  private redirect: (Endpoint & { waitMs: number }) | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private started = false;
  private stopping = false;
  private stopped: Promise<MinerStats> | undefined;
  private runDone: Promise<void> = Promise.resolve();
  private scanDone: Promise<void> = Promise.resolve();
  private statsTimer: NodeJS.Timeout | undefined;
  private wakeScan: (() => void) | undefined;
  private wakeSleep: (() => void) | undefined;
  private droppedWarned = false;
  /** whether the current attempt got as far as a TCP/TLS connection (for the log line) */
  private connectedNow = false;
  /** the pool URL that closed the connection on `mining.configure`: reconnects there skip it */
  private configureBrokenAt: string | undefined;

  /**
   * @throws LodeError('config') for a URL that is not a stratum URL, a coin
   *   that does not speak the "bitcoin" dialect, or out-of-range numbers
   *   (threads, difficulty, intervals)
   */
  constructor(private readonly options: MinerOptions) {
    this.events$ = this.eventsSubject.asObservable();
    this.coin = options.coin;
    this.log = options.logger ?? silentLogger;
    this.backoff = new Backoff(options.backoff);
    this.password = options.password ?? 'x';
    this.userAgent = options.userAgent ?? `lode-miner/${MINER_VERSION}`;
    this.statsIntervalMs = options.statsIntervalMs ?? 5000;
    this.maxInFlight = options.maxInFlightSubmits ?? 64;
    const parsed = parseStratumUrl(options.url);
    if (parsed.scheme.startsWith('stratum3+')) {
      throw new LodeError('config', `${parsed.scheme}:// is EthereumStratum/2.0.0; this miner speaks Stratum v1 (stratum+tcp://, stratum+ssl://)`);
    }
    this.endpoint = { scheme: parsed.scheme, host: parsed.host, port: parsed.port };
    if (!options.coin.dialects.includes('bitcoin')) {
      throw new LodeError(
        'config',
        `coin '${options.coin.id}' speaks ${options.coin.dialects.join(', ') || 'no dialect'}, this miner speaks Stratum v1 ("bitcoin")`,
      );
    }
    if (options.user === '') throw new LodeError('config', 'worker name (user) must not be empty');
    checkInteger('threads', options.threads, 1);
    checkInteger('maxInFlightSubmits', this.maxInFlight, 1);
    checkNumber('statsIntervalMs', this.statsIntervalMs, 0);
    if (options.suggestDifficulty !== undefined) checkNumber('suggestDifficulty', options.suggestDifficulty, 0, true);
    if (options.chunkSeconds !== undefined) checkNumber('chunkSeconds', options.chunkSeconds, 0, true);
    if (options.minimumDifficulty !== undefined) checkNumber('minimumDifficulty', options.minimumDifficulty, 0);
    const mask = options.versionRollingMask;
    if (mask !== undefined && mask !== null && (!Number.isInteger(mask) || mask < 1 || mask > 0xffffffff)) {
      throw new LodeError('config', `versionRollingMask must be a non-zero uint32 (e.g. 0x1fffe000) or null, got ${String(mask)}`);
    }
  }

  /** Counters and rates so far. */
  get stats(): MinerStats {
    return {
      hashrate: this.lastWindowRate,
      scanRate: this.meter.scanRate,
      totalHashes: this.meter.totalHashes,
      ...this.counters,
      threads: this.options.threads,
      implementation: this.coin.hasher.implementation,
      ...(this.link?.versionMask === undefined ? {} : { versionMask: this.link.versionMask }),
    };
  }

  /**
   * Connects and starts mining; returns at once (progress is on `events$`).
   *
   * @throws LodeError('config') when called twice
   */
  start(): void {
    if (this.started) throw new LodeError('config', 'this miner was already started; create a new Miner to mine again');
    this.started = true;
    this.meter = new HashrateMeter(performance.now());
    if (this.statsIntervalMs > 0) {
      this.statsTimer = setInterval(() => this.reportStats(), this.statsIntervalMs);
    }
    this.runDone = this.run().catch((e: unknown) => this.fail(e));
    this.scanDone = this.scanLoop().catch((e: unknown) => this.fail(e));
  }

  /**
   * Stops: lets the current scan chunk finish, waits up to 2 s for the
   * answers to shares already submitted, closes the connection, logs the
   * final stats and completes `events$`. Idempotent.
   *
   * @param reason logged and used as the connection's close reason
   * @returns the final stats
   */
  stop(reason = 'miner stopping'): Promise<MinerStats> {
    if (this.stopped === undefined) this.stopped = this.shutdown(reason);
    return this.stopped;
  }

  private async shutdown(reason: string): Promise<MinerStats> {
    this.stopping = true;
    this.wakeScan?.();
    this.wakeSleep?.();
    await this.scanDone;
    await this.settleSubmits();
    this.link?.conn.close(reason);
    await this.runDone;
    if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
    if (this.started) this.reportStats();
    const stats = this.stats;
    this.log.info(
      { event: 'stopped', reason, ...stats },
      `miner: stopped (${reason}): ${stats.totalHashes} hashes, accepted ${stats.accepted}, rejected ${stats.rejected}, stale ${stats.stale}`,
    );
    this.eventsSubject.complete();
    return stats;
  }

  // ---- connection ----------------------------------------------------------

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      attempt++;
      const url = formatUrl(this.endpoint);
      this.log.info({ event: 'connecting', url, attempt }, `miner: connecting to ${url} (attempt ${attempt})`);
      this.emit({ type: 'connecting', url, attempt });
      let reason: string;
      this.connectedNow = false;
      try {
        reason = await this.runConnection(url);
      } catch (e) {
        reason = (e as Error).message;
      }
      if (this.stopping) break;
      let waitMs: number;
      if (this.redirect !== undefined) {
        const { waitMs: wait, ...endpoint } = this.redirect;
        this.redirect = undefined;
        this.endpoint = endpoint;
        waitMs = wait;
      } else {
        waitMs = this.backoff.next();
      }
      const what = this.connectedNow ? 'disconnected' : 'cannot connect';
      this.log.warn(
        { event: 'disconnected', reason, retryInMs: waitMs },
        `miner: ${what} (${reason}), reconnecting to ${formatUrl(this.endpoint)} in ${waitMs / 1000} s`,
      );
      this.emit({ type: 'disconnected', reason, retryInMs: waitMs });
      await this.sleep(waitMs);
    }
  }

  /** Runs one connection until it closes; resolves with the close reason. */
  private async runConnection(url: string): Promise<string> {
    const conn = await connectStratum(url, {
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      tls: this.options.tls,
    });
    this.connectedNow = true;
    if (this.stopping) {
      conn.close('miner stopping');
      return 'miner stopping';
    }
    const peer = new RpcPeer(conn, classicCodec, { logger: this.log });
    const session = new BitcoinClientSession(peer, { userAgent: this.userAgent, logger: this.log });
    const link: Link = { url, conn, session, authorized: false, configured: false };
    const subscriptions = new Subscription();
    // Subscribed before anything is sent: a notify may follow the subscribe result in the same read.
    subscriptions.add(session.jobs$.subscribe((job) => this.onJob(link, job)));
    subscriptions.add(session.extranonce$.subscribe((e) => this.onExtranonce(link, e)));
    subscriptions.add(session.reconnect$.subscribe((r) => this.onReconnect(link, r)));
    subscriptions.add(session.versionMask$.subscribe((mask) => this.onVersionMask(link, mask)));
    const closed = firstValueFrom(conn.closed$).then(
      (info) => info.reason,
      () => 'connection closed',
    );
    this.link = link;
    try {
      this.log.info({ event: 'connected', url }, `miner: connected to ${url}`);
      this.emit({ type: 'connected', url });
      await Promise.race([this.handshake(link), closed]);
      return await closed;
    } finally {
      subscriptions.unsubscribe();
      if (this.link === link) this.link = undefined;
      if (this.active?.link === link) this.active = undefined;
      conn.close('miner left the connection');
    }
  }

  private async handshake(link: Link): Promise<void> {
    const { session } = link;
    const configured = await this.configure(link);
    const sub = await session.subscribe(this.sessionId);
    this.sessionId = sub.sessionId || this.sessionId;
    link.extranonce = { extranonce1: sub.extranonce1, extranonce2Size: sub.extranonce2Size };
    const en1 = sub.extranonce1.toString('hex');
    this.log.info(
      { event: 'subscribed', extranonce1: en1, extranonce2Size: sub.extranonce2Size, sessionId: sub.sessionId },
      `miner: subscribed extranonce1=${en1} extranonce2_size=${sub.extranonce2Size} session=${sub.sessionId}`,
    );
    this.emit({ type: 'subscribed', extranonce1: en1, extranonce2Size: sub.extranonce2Size, sessionId: sub.sessionId });
    if (link.early !== undefined) {
      const early = link.early;
      link.early = undefined;
      this.setWork(link, early);
    }
    // Neither is waited for: some pools never answer them, and the authorize must not wait 30 s.
    if ((this.options.extranonceSubscribe ?? true) && configured?.subscribeExtranonce !== true) {
      session.extranonceSubscribe().then(
        (ok) => this.log.debug({ ok }, `miner: extranonce.subscribe ${ok ? 'accepted' : 'refused'} by the pool`),
        (e: unknown) => this.log.debug({ err: (e as Error).message }, 'miner: extranonce.subscribe not supported by the pool'),
      );
    }
    const suggested = this.options.suggestDifficulty;
    if (suggested !== undefined) {
      session.suggestDifficulty(suggested).then(
        () => this.log.info({ difficulty: suggested }, `miner: suggested difficulty ${suggested}`),
        (e: unknown) => this.log.warn({ err: (e as Error).message }, `miner: suggest_difficulty refused: ${(e as Error).message}`),
      );
    }
    const worker = this.options.user;
    let ok: boolean;
    try {
      ok = await session.authorize(worker, this.password);
    } catch (e) {
      if (!LodeError.is(e, 'protocol') && !LodeError.is(e, 'share')) throw e;
      this.log.error({ worker, err: e.message, code: e.code }, `miner: worker ${worker} not authorized: ${e.message}`);
      ok = false;
    }
    if (!ok) {
      link.conn.close(`worker ${worker} not authorized`);
      return;
    }
    link.authorized = true;
    this.backoff.reset();
    this.log.info({ event: 'authorized', worker }, `miner: authorized worker ${worker}`);
    this.emit({ type: 'authorized', worker });
    this.wakeScan?.();
  }

  /**
   * Sends `mining.configure` (BIP 310) and applies its result; resolves with
   * the result, or undefined when it was not sent or got no usable answer.
   */
  private async configure(link: Link): Promise<ConfigureResult | undefined> {
    const asked = this.options.versionRollingMask === undefined ? DEFAULT_VERSION_ROLLING_MASK : this.options.versionRollingMask;
    const minimumDifficulty = this.options.minimumDifficulty;
    if (!(this.options.configure ?? true)) {
      link.configured = true;
      return undefined;
    }
    if (this.configureBrokenAt === link.url) {
      link.configured = true;
      this.log.debug({ url: link.url }, `miner: not sending mining.configure to ${link.url} (it failed there before)`);
      return undefined;
    }
    const request: ConfigureRequest = {
      info: { connectionUrl: link.url, hwVersion: 'cpu', swVersion: `lode-miner/${MINER_VERSION}`, hwId: hostname() },
    };
    if (asked !== null) request.versionRolling = { mask: asked };
    if (minimumDifficulty !== undefined) request.minimumDifficulty = minimumDifficulty;
    if (this.options.extranonceSubscribe ?? true) request.subscribeExtranonce = true;
    let result: ConfigureResult;
    try {
      result = await link.session.configure(request);
    } catch (e) {
      if (!LodeError.is(e, 'connection') && !LodeError.is(e, 'protocol')) throw e;
      link.configured = true;
      // A pool that does not know the method may close the connection on it (BIP 310 "Request mining.configure"):
      // the next attempt there goes without it rather than failing the same way forever.
      this.configureBrokenAt = link.url;
      this.log.warn(
        { event: 'configure-failed', err: e.message },
        `miner: mining.configure failed (${e.message}); mining ${link.url} without it from now on`,
      );
      if (link.conn.isClosed) throw e;
      return undefined;
    }
    link.configured = true;
    const vr = result.versionRolling;
    if (asked !== null) {
      if (typeof vr === 'object') {
        this.applyVersionMask(link, vr.mask);
        this.log.info(
          { event: 'configured', versionMask: hex32(vr.mask), asked: hex32(asked) },
          `miner: configured version-rolling mask ${hex32(vr.mask)} (asked ${hex32(asked)})`,
        );
      } else {
        // The mask set_version_mask may have sent meanwhile is void: rolling was not granted.
        this.applyVersionMask(link, undefined);
        const why = typeof vr === 'string' ? `: ${vr}` : '';
        this.log.info({ event: 'configured', versionRolling: vr ?? null }, `miner: version rolling refused by the pool${why}`);
      }
    }
    if (minimumDifficulty !== undefined) {
      const md = result.minimumDifficulty;
      const verdict = md === true ? 'accepted' : 'refused';
      const why = typeof md === 'string' ? `: ${md}` : '';
      this.log.info(
        { event: 'minimum-difficulty', difficulty: minimumDifficulty, accepted: md === true },
        `miner: minimum difficulty ${minimumDifficulty} ${verdict}${why}`,
      );
    }
    if (result.subscribeExtranonce === true) {
      this.log.debug({}, 'miner: subscribe-extranonce granted by mining.configure (no mining.extranonce.subscribe)');
    }
    this.emit({
      type: 'configured',
      versionMask: link.versionMask,
      minimumDifficulty: minimumDifficulty === undefined ? undefined : result.minimumDifficulty === true,
      subscribeExtranonce: result.subscribeExtranonce === true,
    });
    return result;
  }

  private onVersionMask(link: Link, mask: number): void {
    if (this.link !== link) return;
    const requested = (this.options.configure ?? true) && this.options.versionRollingMask !== null;
    if (!requested) {
      this.log.debug({ mask: hex32(mask) }, `miner: mining.set_version_mask ${hex32(mask)} ignored (version rolling not requested)`);
      return;
    }
    // Before the configure result the mask is only recorded: that result decides and logs it.
    if (!this.applyVersionMask(link, mask) || !link.configured) return;
    this.log.info({ event: 'version-mask', mask: hex32(mask) }, `miner: version mask now ${hex32(mask)}`);
    this.emit({ type: 'version-mask', mask });
  }

  /** Records the connection's mask and rolls the current work within it from its next chunk; returns whether it changed. */
  private applyVersionMask(link: Link, mask: number | undefined): boolean {
    if (link.versionMask === mask) return false;
    link.versionMask = mask;
    if (this.active?.link === link) this.active.work.setVersionMask(mask);
    return true;
  }

  private onJob(link: Link, job: JobArrival): void {
    if (this.link !== link) return;
    if (link.staged !== undefined) {
      link.extranonce = link.staged;
      link.staged = undefined;
    }
    if (link.extranonce === undefined) {
      // Announced and bound once the subscribe result (read from the same segment) is handled.
      link.early = job;
      return;
    }
    this.setWork(link, job);
  }

  private setWork(link: Link, job: JobArrival): void {
    const extranonce = link.extranonce;
    if (extranonce === undefined) return;
    const { jobId, cleanJobs } = job.params;
    this.log.info(
      { event: 'job', jobId, difficulty: job.difficulty, clean: cleanJobs },
      `miner: new job ${jobId} difficulty ${job.difficulty} clean=${cleanJobs}`,
    );
    this.emit({ type: 'job', jobId, difficulty: job.difficulty, clean: cleanJobs });
    let work: ScanWork;
    try {
      work = new ScanWork(this.coin, job.params, job.difficulty, extranonce, job.receivedAt, link.versionMask);
    } catch (e) {
      this.log.error({ jobId: job.params.jobId, err: (e as Error).message }, `miner: cannot mine job ${job.params.jobId}: ${(e as Error).message}`);
      return;
    }
    if (work.clean) this.epoch++;
    this.active = { work, link, epoch: this.epoch };
    this.wakeScan?.();
  }

  private onExtranonce(link: Link, e: ExtranonceAssignment): void {
    if (this.link !== link) return;
    link.staged = e;
    const en1 = e.extranonce1.toString('hex');
    this.log.info(
      { event: 'set_extranonce', extranonce1: en1, extranonce2Size: e.extranonce2Size },
      `miner: pool set extranonce1=${en1} extranonce2_size=${e.extranonce2Size} (from the next job)`,
    );
  }

  private onReconnect(link: Link, r: { host?: string; port?: number; waitSeconds: number }): void {
    if (this.link !== link) return;
    const host = r.host ?? this.endpoint.host;
    const port = r.port ?? this.endpoint.port;
    const waitMs = Math.max(0, r.waitSeconds) * 1000;
    this.redirect = { scheme: this.endpoint.scheme, host, port, waitMs };
    this.log.info(
      { event: 'reconnect', host, port, waitSeconds: r.waitSeconds },
      `miner: pool asked to reconnect to ${host}:${port} in ${r.waitSeconds} s`,
    );
    link.conn.close('client.reconnect');
  }

  // ---- scanning ------------------------------------------------------------

  private async scanLoop(): Promise<void> {
    while (!this.stopping) {
      const active = this.active;
      if (active === undefined || !active.link.authorized || this.link !== active.link) {
        await new Promise<void>((resolve) => (this.wakeScan = resolve));
        this.wakeScan = undefined;
        continue;
      }
      const { work } = active;
      const perHit = expectedHashesPerHit(work.target);
      const chunk = work.nextChunk((remaining) =>
        chunkSize({
          hashesPerSecond: this.meter.scanRate,
          chunkSeconds: this.options.chunkSeconds,
          hashesPerHit: perHit,
          remaining,
        }),
      );
      const startedAt = performance.now();
      let result: ScanResult;
      try {
        result = await this.coin.hasher.scan({
          header: chunk.header,
          startNonce: chunk.startNonce,
          count: chunk.count,
          target: work.target,
          threads: this.options.threads,
        });
      } catch (e) {
        throw new LodeError('plugin', `native scan of job ${work.jobId} failed: ${(e as Error).message}`, { cause: e });
      }
      this.meter.record(result.hashes, performance.now() - startedAt);
      for (const hit of result.hits) this.onHit(active, chunk, hit);
    }
  }

  private onHit(active: ActiveWork, chunk: ScanChunk, hit: ScanHit): void {
    const { work, link } = active;
    if (this.link !== link || active.epoch !== this.epoch || link.conn.isClosed) {
      this.counters.stale++;
      this.log.debug({ jobId: work.jobId, nonce: hit.nonce }, `miner: stale hit of job ${work.jobId} not submitted`);
      return;
    }
    // The mask may have changed while the chunk was scanned (set_version_mask applies at once).
    const versionBits = submitVersionBits(work.jobVersion, chunk.version, link.versionMask);
    if (versionBits === null) {
      this.counters.stale++;
      this.log.debug(
        { jobId: work.jobId, nonce: hit.nonce, version: hex32(chunk.version), mask: link.versionMask === undefined ? null : hex32(link.versionMask) },
        `miner: hit of job ${work.jobId} (version ${hex32(chunk.version)}) falls outside the version mask now in force, not submitted`,
      );
      return;
    }
    if (this.inFlight.size >= this.maxInFlight) {
      this.counters.dropped++;
      if (!this.droppedWarned) {
        this.droppedWarned = true;
        this.log.warn(
          { inFlight: this.inFlight.size },
          `miner: ${this.inFlight.size} shares await the pool's answer, dropping further hits (share difficulty too low?)`,
        );
      }
      return;
    }
    const nonceHex = hex32(hit.nonce);
    const extranonce2 = chunk.extranonce2.toString('hex');
    const bitsHex = versionBits === undefined ? undefined : hex32(versionBits);
    this.log.debug(
      { event: 'submit', jobId: work.jobId, nonce: nonceHex, extranonce2, versionBits: bitsHex ?? null },
      `miner: submitting job ${work.jobId} extranonce2 ${extranonce2} nonce ${nonceHex}${bitsHex === undefined ? '' : ` version bits ${bitsHex}`}`,
    );
    const sentAt = performance.now();
    const submittedCount = ++this.submittedCount;
    this.emit({ type: 'submitted', jobId: work.jobId, submitted: submittedCount });
    const submitted = link.session
      .submit({
        workerName: this.options.user,
        jobId: work.jobId,
        extranonce2: chunk.extranonce2,
        ntime: work.ntime,
        nonce: hit.nonce,
        ...(versionBits === undefined ? {} : { versionBits }),
      })
      .then(
        () => {
          const seconds = (performance.now() - sentAt) / 1000;
          const accepted = ++this.counters.accepted;
          this.log.info(
            {
              event: 'accepted',
              jobId: work.jobId,
              nonce: nonceHex,
              extranonce2,
              versionBits: bitsHex ?? null,
              difficulty: work.difficulty,
              hash: this.coin.displayHash(hit.hash),
            },
            `miner: share accepted job ${work.jobId} nonce ${nonceHex} (diff ${work.difficulty})`,
          );
          this.emit({
            type: 'accepted',
            jobId: work.jobId,
            nonce: hit.nonce,
            extranonce2,
            ...(versionBits === undefined ? {} : { versionBits }),
            difficulty: work.difficulty,
            accepted,
            seconds,
          });
        },
        (e: unknown) => this.onSubmitFailed(work, hit, e, (performance.now() - sentAt) / 1000),
      )
      .finally(() => {
        this.inFlight.delete(submitted);
        if (this.inFlight.size === 0) this.droppedWarned = false;
      });
    this.inFlight.add(submitted);
  }

  private onSubmitFailed(work: ScanWork, hit: ScanHit, e: unknown, seconds: number): void {
    if (LodeError.is(e, 'share') || LodeError.is(e, 'protocol')) {
      const rejected = ++this.counters.rejected;
      const code = e.code;
      this.log.warn(
        { event: 'rejected', jobId: work.jobId, nonce: hex32(hit.nonce), code, err: e.message },
        `miner: share rejected: ${e.message} (code ${code ?? 'none'})`,
      );
      this.emit({ type: 'rejected', jobId: work.jobId, nonce: hit.nonce, message: e.message, code, rejected, seconds });
      return;
    }
    this.counters.lost++;
    this.log.warn(
      { jobId: work.jobId, nonce: hex32(hit.nonce), err: (e as Error).message },
      `miner: share of job ${work.jobId} got no answer: ${(e as Error).message}`,
    );
  }

  private async settleSubmits(): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_SUBMIT_GRACE_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), grace]);
    clearTimeout(timer);
  }

  // ---- helpers -------------------------------------------------------------

  private reportStats(): void {
    this.lastWindowRate = this.meter.takeWindow(performance.now());
    const stats = this.stats;
    this.log.info(
      { event: 'stats', ...stats },
      `miner: ${formatHashrate(stats.hashrate)} over ${stats.threads} threads (${stats.implementation}), accepted ${stats.accepted}, rejected ${stats.rejected}`,
    );
    this.emit({ type: 'stats', stats });
  }

  private fail(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.log.error({ err: error.message }, `miner: ${error.message}`);
    this.emit({ type: 'fatal', error });
    void this.stop(error.message);
  }

  private emit(event: MinerEvent): void {
    if (!this.eventsSubject.closed) this.eventsSubject.next(event);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleep = done;
    });
  }
}

function formatUrl(e: Endpoint): string {
  const host = e.host.includes(':') ? `[${e.host}]` : e.host;
  return `${e.scheme}://${host}:${e.port}`;
}

/** A uint32 as 8 hex digits, big-endian, as `mining.submit` writes it. */
function hex32(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

function checkInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new LodeError('config', `${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

function checkNumber(name: string, value: number, min: number, exclusive = false): void {
  if (!Number.isFinite(value) || value < min || (exclusive && value === min)) {
    throw new LodeError('config', `${name} must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${String(value)}`);
  }
}
