import { randomBytes } from 'node:crypto';
import { EthStratumClientSession, type EthClientJob as EthStratumJob } from '@lode/dialect-ethstratum';
import type { CoinPlugin, EpochHasher } from '@lode/plugin-api';
import {
  connectStratum,
  eip1571Codec,
  LodeError,
  parseStratumUrl,
  RpcPeer,
  silentLogger,
  type Eip1571Params,
  type LodeLogger,
  type StratumConnection,
} from '@lode/stratum-core';
import { firstValueFrom, Subject, Subscription, type Observable } from 'rxjs';
import { Backoff, type BackoffOptions } from '../backoff';
import { MINER_VERSION } from '../miner-options';
import { HashrateMeter } from '../stats/hashrate-meter';

/** What an {@link EthMiner} mines with and where. */
export interface EthMinerOptions {
  /** the pool: stratum3+tcp://host:port (EthereumStratum/2.0.0, ethminer's scheme name), or stratum+tcp:// */
  url: string;
  /** worker name sent in `mining.authorize`, "<account>[.<MachineName>]" */
  user: string;
  /** password sent in `mining.authorize`; default "x" */
  password?: string;
  /** the coin plugin; must speak "ethstratum" and have an epochHasher */
  coin: CoinPlugin;
  /** native scan threads, >= 1 */
  threads: number;
  /**
   * mine with the full dataset (GBs, minutes to build, progress logged)
   * instead of the light cache (tens of MB, seconds; ~100x slower per hash);
   * default false
   */
  fullDataset?: boolean;
  /** seconds between `mining.hashrate` reports to the pool; default 30; 0 = never */
  hashrateReportSeconds?: number;
  /** ms between stats lines; default 5000; 0 turns them off */
  statsIntervalMs?: number;
  /** the hello's `agent`; default `lode-miner/<MINER_VERSION>` */
  userAgent?: string;
  logger?: LodeLogger;
  /** TCP/TLS connect timeout in ms; default 10000 */
  connectTimeoutMs?: number;
  tls?: { rejectUnauthorized?: boolean; ca?: string | Buffer };
  /** reconnect delays; default 1 s doubling to 60 s */
  backoff?: BackoffOptions;
  /** seconds of work one scan chunk aims at; default 0.5 */
  chunkSeconds?: number;
}

/** What an EthMiner reports on `events$`. */
export type EthMinerEvent =
  | { type: 'connecting'; url: string; attempt: number }
  | { type: 'connected'; url: string; node: string; encoding: string }
  | { type: 'subscribed'; sessionId: string; resumed: boolean }
  | { type: 'authorized'; worker: string; token: string }
  | { type: 'epoch'; algo: string; epoch: number; mode: 'light' | 'full'; progress: number }
  | { type: 'job'; jobId: string; height: number; epoch: number; target: bigint; clean: boolean }
  | { type: 'accepted'; jobId: string; nonce: string; stale: boolean; accepted: number }
  | { type: 'rejected'; jobId: string; nonce: string; code: number | undefined; message: string; rejected: number }
  | { type: 'disconnected'; reason: string; retryInMs: number }
  | { type: 'stats'; hashrate: number; accepted: number; stale: number; rejected: number; totalHashes: number }
  | { type: 'fatal'; error: Error };

interface Link {
  conn: StratumConnection;
  session: EthStratumClientSession;
  token: string | undefined;
}

const U64 = 1n << 64n;

/**
 * The miner side of EthereumStratum/2.0.0 (specs/003_fafafa51dc5fa36a.txt):
 * hello, subscribe (resuming its last session id when the pool allows it,
 * re-authorizing only when the session is new), authorize, then scans each
 * job with the coin's EpochHasher on native threads: the light cache of the
 * job's epoch by default (tests), or the full dataset (`fullDataset`), whose
 * build progress is logged. Values from `mining.set` apply to the next job
 * (the dialect client binds them); the search segment is the extranonce
 * followed by the miner's own bytes, starting at a random point. Hits are
 * submitted with the nonce suffix; 2xx answers count as accepted-stale. It
 * reports its hashrate with `mining.hashrate`, and reconnects with backoff
 * (or where `mining.reconnect` says).
 */
export class EthMiner {
  readonly events$: Observable<EthMinerEvent>;
  private readonly eventsSubject = new Subject<EthMinerEvent>();
  private readonly log: LodeLogger;
  private readonly hasher: EpochHasher;
  private readonly backoff: Backoff;
  private readonly endpoint: { host: string; port: number; tls: boolean };
  private readonly chunkSeconds: number;
  private meter = new HashrateMeter(performance.now());
  private link: Link | undefined;
  private job: EthStratumJob | undefined;
  private sessionId: string | undefined;
  private resumable = false;
  private stopping = false;
  private started = false;
  private counters = { accepted: 0, stale: 0, rejected: 0 };
  private lastRate = 0;
  private chunk = 256;
  private prepared = new Set<string>();
  private wakeScan: (() => void) | undefined;
  private wakeSleep: (() => void) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private runDone: Promise<void> = Promise.resolve();
  private scanDone: Promise<void> = Promise.resolve();
  private stopped: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  /** @throws LodeError('config') for a bad URL, an empty user, threads < 1, or a coin that cannot mine this dialect */
  constructor(private readonly options: EthMinerOptions) {
    this.events$ = this.eventsSubject.asObservable();
    this.log = options.logger ?? silentLogger;
    const url = parseStratumUrl(options.url);
    this.endpoint = { host: url.host, port: url.port, tls: url.tls };
    if (!options.coin.dialects.includes('ethstratum') || options.coin.epochHasher === undefined) {
      throw new LodeError('config', `coin '${options.coin.id}' does not speak EthereumStratum/2.0.0 ("ethstratum") with an epoch hasher`);
    }
    this.hasher = options.coin.epochHasher;
    if (options.user === '') throw new LodeError('config', 'worker name (user) must not be empty');
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new LodeError('config', `threads must be an integer >= 1, got ${String(options.threads)}`);
    }
    this.chunkSeconds = options.chunkSeconds ?? 0.5;
    this.backoff = new Backoff(options.backoff);
  }

  /** Connects and starts mining; returns at once (progress is on `events$`). */
  start(): void {
    if (this.started) throw new LodeError('config', 'this miner was already started');
    this.started = true;
    this.meter = new HashrateMeter(performance.now());
    const statsMs = this.options.statsIntervalMs ?? 5000;
    if (statsMs > 0) this.timers.push(setInterval(() => this.reportStats(), statsMs));
    const reportSeconds = this.options.hashrateReportSeconds ?? 30;
    if (reportSeconds > 0) this.timers.push(setInterval(() => this.reportHashrate(), reportSeconds * 1000));
    this.runDone = this.run().catch((e: unknown) => this.fail(e));
    this.scanDone = this.scanLoop().catch((e: unknown) => this.fail(e));
  }

  /** Stops: finishes the current chunk, waits up to 2 s for the answers to shares in flight, says `mining.bye`, completes `events$`. Idempotent. */
  stop(reason = 'miner stopping'): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wakeScan?.();
      this.wakeSleep?.();
      await this.scanDone;
      for (const timer of this.timers) clearInterval(timer);
      // the answers to shares already submitted, for at most 2 s
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      this.link?.session.bye();
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
      const url = `stratum3+${this.endpoint.tls ? 'tls' : 'tcp'}://${this.endpoint.host}:${this.endpoint.port}`;
      this.emit({ type: 'connecting', url, attempt }, `miner: connecting to ${url} (attempt ${attempt})`);
      let reason: string;
      try {
        reason = await this.runConnection(url);
      } catch (e) {
        reason = (e as Error).message;
      }
      this.link = undefined;
      this.job = undefined;
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
    const peer = new RpcPeer<Eip1571Params>(conn, eip1571Codec, { logger: this.log, firstRequestId: 0, maxRequestId: 65535 });
    const session = new EthStratumClientSession(peer, { logger: this.log });
    const link: Link = { conn, session, token: undefined };
    const subscriptions = new Subscription();
    subscriptions.add(session.jobs$.subscribe((job) => this.onJob(job)));
    subscriptions.add(
      session.reconnect$.subscribe((r) => {
        this.log.info({ event: 'reconnect', host: r.host, port: r.port }, `miner: pool asks to reconnect to ${r.host}:${r.port}`);
        this.endpoint.host = r.host;
        this.endpoint.port = r.port;
        if (!r.resume) this.sessionId = undefined;
        conn.close('mining.reconnect');
      }),
    );
    const closed = firstValueFrom(conn.closed$).then(
      (info) => info.reason,
      () => 'connection closed',
    );
    try {
      const hello = await session.hello({ agent: this.options.userAgent ?? `lode-miner/${MINER_VERSION}`, host: this.endpoint.host, port: this.endpoint.port });
      this.resumable = hello.resume;
      this.emit({ type: 'connected', url, node: hello.node, encoding: hello.encoding }, `miner: connected to ${url} (node ${hello.node}, encoding ${hello.encoding})`);
      const asked = this.resumable ? this.sessionId : undefined;
      const { sessionId, resumed } = await session.subscribe(asked);
      this.sessionId = sessionId;
      this.emit({ type: 'subscribed', sessionId, resumed }, `miner: ${resumed ? 'resumed' : 'subscribed'} session ${sessionId}`);
      if (!resumed || this.lastToken === undefined) {
        this.lastToken = await session.authorize(this.options.user, this.options.password ?? 'x');
        this.emit({ type: 'authorized', worker: this.options.user, token: this.lastToken }, `miner: worker ${this.options.user} authorized (token ${this.lastToken})`);
      }
      link.token = this.lastToken;
      this.link = link;
      this.backoff.reset();
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

  private lastToken: string | undefined;

  private onJob(job: EthStratumJob): void {
    this.job = job;
    this.emit(
      { type: 'job', jobId: job.jobId, height: job.height, epoch: job.epoch, target: job.target, clean: job.clean },
      `miner: job ${job.jobId} height ${job.height} epoch ${job.epoch}${job.clean ? ' (clean)' : ''}`,
      'debug',
    );
    this.wakeScan?.();
  }

  private async scanLoop(): Promise<void> {
    let cursor = { jobId: '', next: 0n };
    while (!this.stopping) {
      const job = this.job;
      const link = this.link;
      if (job === undefined || link === undefined || link.token === undefined) {
        await new Promise<void>((resolve) => {
          this.wakeScan = resolve;
        });
        this.wakeScan = undefined;
        continue;
      }
      await this.prepare(job);
      if (this.stopping || this.job !== job) continue;
      const prefixBits = BigInt(job.extranonce.length * 8);
      const suffixBits = 64n - prefixBits;
      const base = job.extranonce.length === 0 ? 0n : BigInt(`0x${job.extranonce.toString('hex')}`) << suffixBits;
      const space = 1n << suffixBits;
      if (cursor.jobId !== job.jobId) {
        // A random start in the segment, so that miners without an extranonce do not overlap (EIP-1571 "A detail of extranonce").
        cursor = { jobId: job.jobId, next: BigInt(`0x${randomBytes(8).toString('hex')}`) % space };
      }
      const count = Number(BigInt(this.chunk) < space - cursor.next ? BigInt(this.chunk) : space - cursor.next);
      if (count <= 0) {
        cursor.next = 0n;
        continue;
      }
      const started = performance.now();
      const result = await this.hasher.scan({
        algo: job.algo === 'etchash' ? 'etchash' : 'ethash',
        epoch: job.epoch,
        headerHash: Buffer.from(job.headerHash, 'hex'),
        startNonce: (base + cursor.next) % U64,
        count,
        target: job.target,
        threads: this.options.threads,
      });
      const elapsed = performance.now() - started;
      cursor.next += BigInt(count);
      if (cursor.next >= space) cursor.next = 0n;
      this.meter.record(result.hashes, elapsed);
      const rate = this.meter.scanRate ?? 0;
      if (rate > 0) this.chunk = Math.max(this.options.threads, Math.min(1 << 24, Math.round(rate * this.chunkSeconds)));
      for (const hit of result.hits) {
        const submitted = this.submit(link, job, hit.nonce, suffixBits);
        this.inFlight.add(submitted);
        void submitted.finally(() => this.inFlight.delete(submitted));
      }
    }
  }

  private async prepare(job: EthStratumJob): Promise<void> {
    const algo = job.algo === 'etchash' ? 'etchash' : 'ethash';
    const key = `${algo}:${job.epoch}`;
    if (this.prepared.has(key)) return;
    const mode = this.options.fullDataset === true ? 'full' : 'light';
    let shown = -1;
    const started = performance.now();
    await this.hasher.prepare(algo, job.epoch, {
      full: mode === 'full',
      threads: this.options.threads,
      onProgress: (fraction) => {
        const percent = Math.floor(fraction * 10) * 10;
        if (percent <= shown) return;
        shown = percent;
        this.emit({ type: 'epoch', algo, epoch: job.epoch, mode, progress: fraction }, `miner: ${mode === 'full' ? 'dataset' : 'light cache'} for ${algo} epoch ${job.epoch}: ${percent}%`);
      },
    });
    this.prepared.add(key);
    this.hasher.retain([{ algo, epoch: job.epoch }]);
    for (const other of [...this.prepared]) if (other !== key) this.prepared.delete(other);
    this.log.info({ event: 'epoch-ready', algo, epoch: job.epoch, mode, ms: Math.round(performance.now() - started) }, `miner: ${algo} epoch ${job.epoch} ready (${mode}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  private async submit(link: Link, job: EthStratumJob, nonce: bigint, suffixBits: bigint): Promise<void> {
    const suffixBytes = Number(suffixBits / 8n);
    const suffix = Buffer.from((nonce & ((1n << suffixBits) - 1n)).toString(16).padStart(suffixBytes * 2, '0'), 'hex');
    const nonceHex = nonce.toString(16).padStart(16, '0');
    try {
      const answer = await link.session.submit(job.jobId, suffix, link.token as string);
      if (answer.accepted) {
        this.counters.accepted++;
        if (answer.stale) this.counters.stale++;
        this.emit(
          { type: 'accepted', jobId: job.jobId, nonce: nonceHex, stale: answer.stale, accepted: this.counters.accepted },
          `miner: share accepted${answer.stale ? ' (stale)' : ''} job ${job.jobId} nonce ${nonceHex} (${this.counters.accepted} accepted)`,
        );
      } else {
        this.counters.rejected++;
        const message = answer.message ?? 'rejected';
        this.emit(
          { type: 'rejected', jobId: job.jobId, nonce: nonceHex, code: answer.code, message, rejected: this.counters.rejected },
          `miner: share rejected job ${job.jobId} nonce ${nonceHex}: ${answer.code ?? ''} ${message}`,
          'warn',
        );
      }
    } catch (e) {
      this.log.warn({ event: 'submit-lost', jobId: job.jobId, err: (e as Error).message }, `miner: share on job ${job.jobId} got no answer: ${(e as Error).message}`);
    }
  }

  private reportHashrate(): void {
    const link = this.link;
    if (link?.token === undefined) return;
    link.session.reportHashrate(BigInt(Math.round(this.lastRate)), link.token).then(
      (ours) => {
        if (ours !== undefined) this.log.debug({ event: 'pool-hashrate', hashrate: Number(ours) }, `miner: the pool sees ${Number(ours).toFixed(1)} H/s`);
      },
      (e: unknown) => this.log.debug({ event: 'hashrate-report-failed', err: (e as Error).message }, 'miner: hashrate report got no answer'),
    );
  }

  private reportStats(): void {
    this.lastRate = this.meter.takeWindow(performance.now());
    this.emit(
      { type: 'stats', hashrate: this.lastRate, ...this.counters, totalHashes: this.meter.totalHashes },
      `miner: ${this.lastRate.toFixed(1)} H/s, accepted ${this.counters.accepted} (stale ${this.counters.stale}), rejected ${this.counters.rejected}`,
    );
  }

  private fail(e: unknown): void {
    const error = e instanceof Error ? e : new Error(String(e));
    this.emit({ type: 'fatal', error }, `miner: fatal: ${error.message}`, 'error');
    void this.stop(error.message);
  }

  private emit(event: EthMinerEvent, line: string, level: 'info' | 'warn' | 'error' | 'debug' = 'info'): void {
    const { type, ...rest } = event;
    const fields: Record<string, unknown> = { event: type };
    for (const [k, v] of Object.entries(rest)) fields[k] = typeof v === 'bigint' ? v.toString(16) : v instanceof Error ? v.message : v;
    this.log[level](fields, line);
    this.eventsSubject.next(event);
  }
}
