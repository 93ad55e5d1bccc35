import { WarthogClientSession, type WarthogClientJob } from '@lode/dialect-warthog';
import { randomBytes } from 'node:crypto';
import { formatHashrate } from '@lode/mining';
import type { CoinJob, CoinPlugin, ScanHit } from '@lode/plugin-api';
import {
  classicCodec,
  connectStratum,
  LodeError,
  parseStratumUrl,
  RpcPeer,
  silentLogger,
  type LodeLogger,
  type StratumConnection,
} from '@lode/stratum-core';
import { firstValueFrom, Subject, Subscription, type Observable } from 'rxjs';
import { Backoff, type BackoffOptions } from '../backoff';
import { MINER_VERSION } from '../miner-options';
import { chunkSize, expectedHashesPerHit } from '../scan/chunk-size';
import { ScanWork, type ScanChunk } from '../scan/scan-work';
import { HashrateMeter } from '../stats/hashrate-meter';

/** What a {@link WarthogMiner} mines with and where. */
export interface WarthogMinerOptions {
  /** the pool: stratum+tcp://host:port, or stratum+ssl:// / stratum+tls:// */
  url: string;
  /** worker name sent in `mining.authorize` ("<address>.<worker>") */
  user: string;
  /** password sent in `mining.authorize`; default "x" */
  password?: string;
  /** the coin plugin; must speak "warthog" (its header builder, diff1 target and native Janushash scanner) */
  coin: CoinPlugin;
  /** native scan threads, >= 1 */
  threads: number;
  /** ms between stats lines; default 5000; 0 turns them off */
  statsIntervalMs?: number;
  /** user agent in `mining.subscribe`; default `lode-miner/<MINER_VERSION>` */
  userAgent?: string;
  logger?: LodeLogger;
  /** TCP/TLS connect timeout in ms; default 10000 */
  connectTimeoutMs?: number;
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer };
  /** reconnect delays; default 1 s doubling to 60 s */
  backoff?: BackoffOptions;
  /** seconds of work one scan chunk aims at; default 0.375 */
  chunkSeconds?: number;
  /** hashes per second assumed before the first chunk is measured; default 5000 */
  firstRateGuess?: number;
}

/** What a WarthogMiner reports on `events$`. */
export type WarthogMinerEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'subscribed'; extranonce1: string; extranonce2Size: number; sessionId: string }
  | { type: 'authorized'; worker: string }
  | { type: 'job'; jobId: string; difficulty: number; clean: boolean }
  /** a hit was sent with mining.submit; `submitted` counts them since start */
  | { type: 'submitted'; jobId: string; nonce: string; submitted: number }
  /** `seconds`: from the submit to the pool's answer */
  | { type: 'accepted'; jobId: string; nonce: string; extranonce2: string; accepted: number; seconds: number }
  | { type: 'rejected'; jobId: string; nonce: string; code: number | undefined; message: string; rejected: number; seconds: number }
  | { type: 'disconnected'; reason: string; retryInMs: number }
  | { type: 'stats'; hashrate: number; accepted: number; rejected: number; totalHashes: number }
  | { type: 'fatal'; error: Error };

interface Link {
  conn: StratumConnection;
  session: WarthogClientSession;
  extranonce1: Buffer;
  extranonce2Size: number;
}

/**
 * The miner side of Warthog stratum (specs/004_8dfd75be62003ef5.txt;
 * facts/warthog.md §2, §7): subscribe, authorize, then each
 * `mining.notify` becomes a CoinJob with Warthog work, scanned header after
 * header (one extranonce2 per header, the job's ntime, nonces 0..2^32) with
 * the plugin's native Janushash scanner, which precomputes the VerusHash key
 * of header bytes 0..63 once per header. The share target of a job is
 * 2^256 / difficulty of the `mining.set_difficulty` in force when the job
 * arrived (no 2^32 factor, DESIGN.md "Difficulty belongs to the job").
 * Hits are submitted in the current 4-parameter form.
 */
export class WarthogMiner {
  readonly events$: Observable<WarthogMinerEvent>;
  private readonly eventsSubject = new Subject<WarthogMinerEvent>();
  private readonly log: LodeLogger;
  private readonly backoff: Backoff;
  private readonly endpoint: { host: string; port: number; tls: boolean };
  private meter = new HashrateMeter(performance.now());
  private link: Link | undefined;
  private work: { link: Link; scan: ScanWork } | undefined;
  private stopping = false;
  private started = false;
  private counters = { accepted: 0, rejected: 0, stale: 0 };
  private submittedCount = 0;
  private wakeScan: (() => void) | undefined;
  private wakeSleep: (() => void) | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private runDone: Promise<void> = Promise.resolve();
  private scanDone: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  /** @throws LodeError('config') for a bad URL, an empty user, threads < 1, or a coin that does not speak warthog */
  constructor(private readonly options: WarthogMinerOptions) {
    this.events$ = this.eventsSubject.asObservable();
    this.log = options.logger ?? silentLogger;
    const url = parseStratumUrl(options.url);
    if (url.scheme.startsWith('stratum3+')) {
      throw new LodeError('config', `${url.scheme}:// is EthereumStratum/2.0.0; Warthog stratum uses stratum+tcp:// (or +ssl, +tls)`);
    }
    this.endpoint = { host: url.host, port: url.port, tls: url.tls };
    if (!options.coin.dialects.includes('warthog')) {
      throw new LodeError('config', `coin '${options.coin.id}' speaks ${options.coin.dialects.join(', ')}, not Warthog stratum ("warthog")`);
    }
    if (options.user === '') throw new LodeError('config', 'worker name (user) must not be empty');
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new LodeError('config', `threads must be an integer >= 1, got ${String(options.threads)}`);
    }
    this.backoff = new Backoff(options.backoff);
  }

  /** Connects and starts mining; returns at once (progress is on `events$`). */
  start(): void {
    if (this.started) throw new LodeError('config', 'this miner was already started');
    this.started = true;
    this.meter = new HashrateMeter(performance.now());
    const statsMs = this.options.statsIntervalMs ?? 5000;
    if (statsMs > 0) this.statsTimer = setInterval(() => this.reportStats(), statsMs);
    this.runDone = this.run().catch((e: unknown) => this.fail(e));
    this.scanDone = this.scanLoop().catch((e: unknown) => this.fail(e));
  }

  /** Stops: finishes the current chunk, waits up to 2 s for answers to shares in flight, closes, completes `events$`. Idempotent. */
  stop(reason = 'miner stopping'): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wakeScan?.();
      this.wakeSleep?.();
      await this.scanDone;
      if (this.statsTimer !== undefined) clearInterval(this.statsTimer);
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      this.link?.conn.close(reason);
      await this.runDone;
      this.reportStats();
      this.log.info({ event: 'stopped', reason, ...this.counters }, `miner: stopped (${reason})`);
      this.eventsSubject.complete();
    })();
    return this.stopped;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      attempt++;
      const url = `stratum+${this.endpoint.tls ? 'tls' : 'tcp'}://${this.endpoint.host}:${this.endpoint.port}`;
      this.emit({ type: 'connecting', url, attempt }, `miner: connecting to ${url} (attempt ${attempt})`);
      let reason: string;
      try {
        reason = await this.runConnection(url);
      } catch (e) {
        reason = (e as Error).message;
      }
      this.link = undefined;
      this.work = undefined;
      if (this.stopping) break;
      const waitMs = this.backoff.next();
      this.emit({ type: 'disconnected', reason, retryInMs: waitMs }, `miner: disconnected (${reason}), reconnecting in ${waitMs / 1000} s`, 'warn');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wakeSleep = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  private async runConnection(url: string): Promise<string> {
    const conn = await connectStratum(url, {
      connectTimeoutMs: this.options.connectTimeoutMs ?? 10_000,
      ...(this.options.tls === undefined ? {} : { tls: this.options.tls }),
    });
    const peer = new RpcPeer(conn, classicCodec, { logger: this.log });
    const session = new WarthogClientSession(peer, { logger: this.log });
    const subscriptions = new Subscription();
    let link: Link | undefined;
    const early: WarthogClientJob[] = [];
    subscriptions.add(
      session.jobs$.subscribe((job) => {
        if (link === undefined) early.push(job);
        else this.onJob(link, job);
      }),
    );
    subscriptions.add(
      session.reconnect$.subscribe(() => {
        this.log.info({ event: 'reconnect' }, 'miner: pool asks to reconnect');
        conn.close('client.reconnect');
      }),
    );
    const closed = firstValueFrom(conn.closed$).then(
      (info) => info.reason,
      () => 'connection closed',
    );
    try {
      const sub = await session.subscribe(this.options.userAgent ?? `lode-miner/${MINER_VERSION}`);
      link = { conn, session, extranonce1: sub.extranonce1, extranonce2Size: sub.extranonce2Size };
      this.emit(
        { type: 'subscribed', extranonce1: sub.extranonce1.toString('hex'), extranonce2Size: sub.extranonce2Size, sessionId: sub.sessionId },
        `miner: subscribed extranonce1=${sub.extranonce1.toString('hex')} extranonce2_size=${sub.extranonce2Size} session=${sub.sessionId}`,
      );
      if (!(await session.authorize(this.options.user, this.options.password ?? 'x'))) {
        throw new LodeError('connection', `the pool refused worker ${this.options.user}`);
      }
      this.emit({ type: 'authorized', worker: this.options.user }, `miner: authorized worker ${this.options.user}`);
      this.link = link;
      this.backoff.reset();
      for (const job of early.splice(0)) this.onJob(link, job);
      // a job may have arrived between the subscribe and the authorize replies: the scan loop waits for this link
      this.wakeScan?.();
    } catch (e) {
      conn.close(`handshake failed: ${(e as Error).message}`);
      subscriptions.unsubscribe();
      throw e;
    }
    const reason = await closed;
    subscriptions.unsubscribe();
    return reason;
  }

  private onJob(link: Link, received: WarthogClientJob): void {
    const job = { ...received.params, difficulty: received.difficulty };
    const coinJob: CoinJob = {
      id: job.jobId,
      coin: this.options.coin.id,
      height: 0,
      prevHash: job.prevHash,
      networkTarget: 0n,
      ntimeMin: job.ntime,
      ntimeMax: job.ntime,
      createdAt: Date.now(),
      work: { dialect: 'warthog', prevHash: job.prevHash, merklePrefix: job.merklePrefix, version: job.version, nbits: job.nbits, ntime: job.ntime },
    };
    const scan = new ScanWork(this.options.coin, { job: coinJob, cleanJobs: job.clean }, job.difficulty, {
      extranonce1: link.extranonce1,
      extranonce2Size: link.extranonce2Size,
      // A pool may send unchanged work again under a new job id (a template refresh): a random start avoids repeating shares.
      extranonce2Start: BigInt(`0x${randomBytes(8).toString('hex')}`) % (1n << BigInt(8 * link.extranonce2Size)),
    });
    // Warthog's notify has no "keep the old jobs" use for a CPU miner: the newest job is mined.
    this.work = { link, scan };
    this.emit(
      { type: 'job', jobId: job.jobId, difficulty: job.difficulty, clean: job.clean },
      `miner: new job ${job.jobId} difficulty ${job.difficulty} clean=${job.clean}`,
      'debug',
    );
    this.wakeScan?.();
  }

  private async scanLoop(): Promise<void> {
    while (!this.stopping) {
      const active = this.work;
      if (active === undefined || this.link !== active.link) {
        await new Promise<void>((resolve) => {
          this.wakeScan = resolve;
        });
        this.wakeScan = undefined;
        continue;
      }
      const { scan } = active;
      const perHit = expectedHashesPerHit(scan.target);
      const chunk = scan.nextChunk((remaining) =>
        chunkSize({
          hashesPerSecond: this.meter.scanRate ?? this.options.firstRateGuess ?? 5000,
          chunkSeconds: this.options.chunkSeconds,
          hashesPerHit: perHit,
          remaining,
        }),
      );
      const started = performance.now();
      let result;
      try {
        result = await this.options.coin.hasher.scan({
          header: chunk.header,
          startNonce: chunk.startNonce,
          count: chunk.count,
          target: scan.target,
          threads: this.options.threads,
        });
      } catch (e) {
        throw new LodeError('plugin', `native scan of job ${scan.jobId} failed: ${(e as Error).message}`, { cause: e });
      }
      this.meter.record(result.hashes, performance.now() - started);
      for (const hit of result.hits) this.onHit(active, chunk, hit);
    }
  }

  private onHit(active: { link: Link; scan: ScanWork }, chunk: ScanChunk, hit: ScanHit): void {
    const { link, scan } = active;
    if (this.link !== link || link.conn.isClosed) {
      this.counters.stale++;
      return;
    }
    const nonceHex = (hit.nonce >>> 0).toString(16).padStart(8, '0');
    const extranonce2 = chunk.extranonce2.toString('hex');
    const sentAt = performance.now();
    this.emit({ type: 'submitted', jobId: scan.jobId, nonce: nonceHex, submitted: ++this.submittedCount }, `miner: submitting job ${scan.jobId} nonce ${nonceHex}`, 'debug');
    const submitted = link.session
      .submit({ jobId: scan.jobId, extranonce2: chunk.extranonce2, ntime: scan.ntime, nonce: hit.nonce })
      .then(
        (answer) => {
          const seconds = (performance.now() - sentAt) / 1000;
          if (answer.accepted) {
            const accepted = ++this.counters.accepted;
            this.emit(
              { type: 'accepted', jobId: scan.jobId, nonce: nonceHex, extranonce2, accepted, seconds },
              `miner: share accepted job ${scan.jobId} nonce ${nonceHex} (diff ${scan.difficulty})`,
            );
          } else {
            const rejected = ++this.counters.rejected;
            const message = answer.message ?? 'rejected';
            this.emit(
              { type: 'rejected', jobId: scan.jobId, nonce: nonceHex, code: answer.code, message, rejected, seconds },
              `miner: share rejected: ${message} (code ${answer.code ?? '?'})`,
              'warn',
            );
          }
        },
        (e: unknown) => {
          this.log.warn({ event: 'submit-lost', jobId: scan.jobId, err: (e as Error).message }, `miner: share on job ${scan.jobId} got no answer: ${(e as Error).message}`);
        },
      );
    this.inFlight.add(submitted);
    void submitted.finally(() => this.inFlight.delete(submitted));
  }

  private reportStats(): void {
    const rate = this.meter.takeWindow(performance.now());
    this.emit(
      { type: 'stats', hashrate: rate, accepted: this.counters.accepted, rejected: this.counters.rejected, totalHashes: this.meter.totalHashes },
      `miner: ${formatHashrate(rate)} over ${this.options.threads} threads (${this.options.coin.hasher.implementation}), accepted ${this.counters.accepted}, rejected ${this.counters.rejected}`,
    );
  }

  private fail(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.emit({ type: 'fatal', error }, `miner: fatal: ${error.message}`, 'error');
    void this.stop(error.message);
  }

  private emit(event: WarthogMinerEvent, line: string, level: 'info' | 'warn' | 'error' | 'debug' = 'info'): void {
    const { type, ...rest } = event;
    const fields: Record<string, unknown> = { event: type };
    for (const [k, v] of Object.entries(rest)) fields[k] = v instanceof Error ? v.message : v;
    this.log[level](fields, line);
    this.eventsSubject.next(event);
  }
}
