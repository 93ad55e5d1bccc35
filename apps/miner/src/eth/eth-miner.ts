import { randomBytes } from 'node:crypto';
import type { EthDialect } from '@lode/dialect-ethstratum';
import type { CoinPlugin, EpochHasher } from '@lode/plugin-api';
import { connectStratum, LodeError, parseStratumUrl, silentLogger, type LodeLogger } from '@lode/stratum-core';
import { firstValueFrom, Subject, type Observable } from 'rxjs';
import { Backoff, type BackoffOptions } from '../backoff';
import { MINER_VERSION } from '../miner-options';
import { HashrateMeter } from '../stats/hashrate-meter';
import { ClassicUpstream } from './classic-upstream';
import { Es2Upstream } from './es2-upstream';
import { describeEthDialect, ethDialectOfUrl } from './eth-dialect-of-url';
import type { EthUpstream, EthUpstreamEvent, EthUpstreamLink, EthWorkJob } from './eth-upstream';
import { SeedEpochs } from './seed-epochs';

/** What an {@link EthMiner} mines with and where. */
export interface EthMinerOptions {
  /**
   * the pool, with the dialect in the scheme as ethminer names it
   * (facts/ethash.md §1.5; ethDialectOfUrl): stratum+tcp:// plain stratum,
   * stratum1+tcp:// EthProxy, stratum2+tcp:// NiceHash
   * EthereumStratum/1.0.0, stratum3+tcp:// EthereumStratum/2.0.0; +ssl or
   * +tls for TLS
   */
  url: string;
  /** the dialect to speak; default: the URL scheme's (ethDialectOfUrl) */
  dialect?: EthDialect;
  /** worker name sent in `mining.authorize` (EthProxy: `eth_submitLogin`), "<account>[.<MachineName>]" */
  user: string;
  /** password sent in `mining.authorize` / `eth_submitLogin`; default "x" */
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
  /** seconds between hashrate reports to the pool (`mining.hashrate`, `eth_submitHashrate`); default 30; 0 = never */
  hashrateReportSeconds?: number;
  /** ms between stats lines; default 5000; 0 turns them off */
  statsIntervalMs?: number;
  /** the hello's `agent` (ES1: the subscribe's user agent); default `lode-miner/<MINER_VERSION>` */
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
  | { type: 'connecting'; url: string; attempt: number; dialect: EthDialect }
  | { type: 'connected'; url: string; dialect: EthDialect; node: string; encoding: string }
  | { type: 'subscribed'; sessionId: string; resumed: boolean }
  /** token: the ES2 worker token; extranonce: the ES1 session extranonce (hex); both "" otherwise */
  | { type: 'authorized'; worker: string; token: string; extranonce: string }
  | { type: 'epoch'; algo: string; epoch: number; mode: 'light' | 'full'; progress: number }
  /** height: absent where the dialect does not send it (ES1, plain, EthProxy without the 4th element) */
  | { type: 'job'; jobId: string; height: number | undefined; epoch: number; algo: string; target: bigint; clean: boolean }
  | { type: 'bad-job'; jobId: string; reason: string }
  /** a solution was sent to the pool; `submitted` counts them since start */
  | { type: 'submitted'; jobId: string; nonce: string; submitted: number }
  /** `seconds`: from the submit to the pool's answer */
  | { type: 'accepted'; jobId: string; nonce: string; stale: boolean; accepted: number; seconds: number }
  | { type: 'rejected'; jobId: string; nonce: string; code: number | undefined; message: string; rejected: number; seconds: number }
  | { type: 'disconnected'; reason: string; retryInMs: number }
  | { type: 'stats'; hashrate: number; accepted: number; stale: number; rejected: number; totalHashes: number }
  | { type: 'fatal'; error: Error };

const U64 = 1n << 64n;

/**
 * An ethash-family miner in any of the four Ethereum dialects
 * (facts/ethash.md §1): EthereumStratum/2.0.0 (specs/003_fafafa51dc5fa36a.txt;
 * hello, subscribe with resume, authorize, `mining.bye`), NiceHash
 * EthereumStratum/1.0.0, EthProxy and plain stratum (ethminer's mode 0),
 * chosen by the URL scheme (ethDialectOfUrl) unless `dialect` says.
 *
 * The mining loop is the same for all: each job is scanned with the coin's
 * EpochHasher on native threads, with the light cache of the job's epoch by
 * default (tests) or the full dataset (`fullDataset`, progress logged). ES2
 * jobs name their epoch; the others carry the seed hash, which SeedEpochs
 * maps to the epoch (ETChash: half the seed epoch, from the job's `algo`
 * member or the coin's algorithm; ECIP-1099). The search segment is the
 * pool's extranonce (ES2, ES1) followed by the miner's own bytes, starting at
 * a random point of each job; EthProxy and plain have no extranonce and the
 * miner picks all 8 bytes. Hits are submitted with the mix digest where the
 * dialect sends it; ES2 2xx answers count as accepted-stale. The miner
 * reports its hashrate and reconnects with backoff (or where ES2
 * `mining.reconnect` says).
 */
export class EthMiner {
  readonly events$: Observable<EthMinerEvent>;
  /** the dialect this miner speaks */
  readonly dialect: EthDialect;
  private readonly eventsSubject = new Subject<EthMinerEvent>();
  private readonly log: LodeLogger;
  private readonly hasher: EpochHasher;
  private readonly backoff: Backoff;
  private readonly endpoint: { host: string; port: number; tls: boolean };
  private readonly scheme: string;
  private readonly upstream: EthUpstream;
  private readonly chunkSeconds: number;
  private meter = new HashrateMeter(performance.now());
  private link: EthUpstreamLink | undefined;
  private job: EthWorkJob | undefined;
  private stopping = false;
  private started = false;
  private counters = { accepted: 0, stale: 0, rejected: 0 };
  private submittedCount = 0;
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

  /** @throws LodeError('config') for a bad URL, an empty user, threads < 1, or a coin that cannot mine the ethash family */
  constructor(private readonly options: EthMinerOptions) {
    this.events$ = this.eventsSubject.asObservable();
    this.log = options.logger ?? silentLogger;
    const url = parseStratumUrl(options.url);
    this.endpoint = { host: url.host, port: url.port, tls: url.tls };
    this.dialect = options.dialect ?? ethDialectOfUrl(options.url);
    const transport = url.tls ? (url.scheme.endsWith('+ssl') ? 'ssl' : 'tls') : 'tcp';
    this.scheme = `${{ es2: 'stratum3', es1: 'stratum2', ethproxy: 'stratum1', plain: 'stratum' }[this.dialect]}+${transport}`;
    if (!options.coin.dialects.includes('ethstratum') || options.coin.epochHasher === undefined) {
      throw new LodeError('config', `coin '${options.coin.id}' does not speak the Ethereum stratum dialects ("ethstratum") with an epoch hasher`);
    }
    this.hasher = options.coin.epochHasher;
    if (options.user === '') throw new LodeError('config', 'worker name (user) must not be empty');
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new LodeError('config', `threads must be an integer >= 1, got ${String(options.threads)}`);
    }
    this.chunkSeconds = options.chunkSeconds ?? 0.5;
    this.backoff = new Backoff(options.backoff);
    const password = options.password ?? 'x';
    this.upstream =
      this.dialect === 'es2'
        ? new Es2Upstream(options.user, password, this.log)
        : new ClassicUpstream({ dialect: this.dialect, user: options.user, password, seeds: new SeedEpochs(options.coin), logger: this.log });
  }

  /** Connects and starts mining; returns at once (progress is on `events$`). */
  start(): void {
    if (this.started) throw new LodeError('config', 'this miner was already started');
    this.started = true;
    this.log.info(
      { event: 'dialect', dialect: this.dialect, host: this.endpoint.host, port: this.endpoint.port },
      `miner: speaking ${describeEthDialect(this.dialect)} to ${this.endpoint.host}:${this.endpoint.port}`,
    );
    this.meter = new HashrateMeter(performance.now());
    const statsMs = this.options.statsIntervalMs ?? 5000;
    if (statsMs > 0) this.timers.push(setInterval(() => this.reportStats(), statsMs));
    const reportSeconds = this.options.hashrateReportSeconds ?? 30;
    if (reportSeconds > 0) this.timers.push(setInterval(() => this.reportHashrate(), reportSeconds * 1000));
    this.runDone = this.run().catch((e: unknown) => this.fail(e));
    this.scanDone = this.scanLoop().catch((e: unknown) => this.fail(e));
  }

  /** Stops: finishes the current chunk, waits up to 2 s for the answers to shares in flight, closes (ES2: after `mining.bye`), completes `events$`. Idempotent. */
  stop(reason = 'miner stopping'): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.wakeScan?.();
      this.wakeSleep?.();
      await this.scanDone;
      for (const timer of this.timers) clearInterval(timer);
      // the answers to shares already submitted, for at most 2 s
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      this.link?.close(reason);
      this.closeConnection?.(reason);
      await this.runDone;
      this.reportStats();
      this.log.info({ event: 'stopped', reason, ...this.counters }, `miner: stopped (${reason})`);
      this.eventsSubject.complete();
    })();
    return this.stopped;
  }

  /** closes the connection being set up or in use (stop() during a handshake) */
  private closeConnection: ((reason: string) => void) | undefined;

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopping) {
      attempt++;
      const url = `${this.scheme}://${this.endpoint.host}:${this.endpoint.port}`;
      this.emit({ type: 'connecting', url, attempt, dialect: this.dialect }, `miner: connecting to ${url} (attempt ${attempt})`);
      let reason: string;
      try {
        reason = await this.runConnection(url);
      } catch (e) {
        reason = (e as Error).message;
      }
      this.link = undefined;
      this.job = undefined;
      this.closeConnection = undefined;
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
    this.closeConnection = (reason) => conn.close(reason);
    if (this.stopping) conn.close('miner stopping');
    const closed = firstValueFrom(conn.closed$).then(
      (info) => info.reason,
      () => 'connection closed',
    );
    let link: EthUpstreamLink;
    try {
      link = await this.upstream.open(
        conn,
        {
          onJob: (job) => this.onJob(job),
          onBadJob: (jobId, reason) => {
            this.job = undefined;
            this.emit({ type: 'bad-job', jobId, reason }, `miner: cannot mine job ${jobId}: ${reason}`, 'warn');
          },
          onEvent: (event) => this.onUpstreamEvent(event, url),
          onReconnect: (host, port) => {
            this.log.info({ event: 'reconnect', host, port }, `miner: pool asks to reconnect to ${host}:${port}`);
            this.endpoint.host = host;
            this.endpoint.port = port;
          },
        },
        { host: this.endpoint.host, port: this.endpoint.port },
        this.options.userAgent ?? `lode-miner/${MINER_VERSION}`,
      );
    } catch (e) {
      conn.close(`handshake failed: ${(e as Error).message}`);
      throw e;
    }
    if (!conn.isClosed) {
      this.link = link;
      this.backoff.reset();
      this.wakeScan?.();
    }
    return await closed;
  }

  private onUpstreamEvent(event: EthUpstreamEvent, url: string): void {
    switch (event.type) {
      case 'connected': {
        const node = event.node === '' ? '' : ` (node ${event.node}, encoding ${event.encoding})`;
        this.emit({ ...event, url, dialect: this.dialect }, `miner: connected to ${url}${node}`);
        return;
      }
      case 'subscribed':
        this.emit(event, `miner: ${event.resumed ? 'resumed' : 'subscribed'} session ${event.sessionId}`);
        return;
      case 'authorized': {
        const detail = event.token !== '' ? ` (token ${event.token})` : event.extranonce !== '' ? ` (extranonce ${event.extranonce})` : '';
        this.emit(event, `miner: worker ${event.worker} authorized${detail}`);
        return;
      }
    }
  }

  private onJob(job: EthWorkJob): void {
    this.job = job;
    this.emit(
      { type: 'job', jobId: job.jobId, height: job.height, epoch: job.epoch, algo: job.algo, target: job.target, clean: job.clean },
      `miner: job ${job.jobId}${job.height === undefined ? '' : ` height ${job.height}`} ${job.algo} epoch ${job.epoch}${job.clean ? ' (clean)' : ''}`,
      'debug',
    );
    this.wakeScan?.();
  }

  private async scanLoop(): Promise<void> {
    let cursor = { job: undefined as EthWorkJob | undefined, next: 0n };
    while (!this.stopping) {
      const job = this.job;
      if (job === undefined || this.link === undefined) {
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
      if (cursor.job !== job) {
        // A random start in the segment, so that miners without an extranonce (EthProxy, plain) do not overlap
        // (EIP-1571 "A detail of extranonce").
        cursor = { job, next: BigInt(`0x${randomBytes(8).toString('hex')}`) % space };
      }
      const count = Number(BigInt(this.chunk) < space - cursor.next ? BigInt(this.chunk) : space - cursor.next);
      if (count <= 0) {
        cursor.next = 0n;
        continue;
      }
      const started = performance.now();
      const result = await this.hasher.scan({
        algo: job.algo,
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
        const submitted = this.submit(job, hit.nonce, hit.mix);
        this.inFlight.add(submitted);
        void submitted.finally(() => this.inFlight.delete(submitted));
      }
    }
  }

  private async prepare(job: EthWorkJob): Promise<void> {
    const { algo, epoch } = job;
    const key = `${algo}:${epoch}`;
    if (this.prepared.has(key)) return;
    const mode = this.options.fullDataset === true ? 'full' : 'light';
    let shown = -1;
    const started = performance.now();
    await this.hasher.prepare(algo, epoch, {
      full: mode === 'full',
      threads: this.options.threads,
      onProgress: (fraction) => {
        const percent = Math.floor(fraction * 10) * 10;
        if (percent <= shown) return;
        shown = percent;
        this.emit({ type: 'epoch', algo, epoch, mode, progress: fraction }, `miner: ${mode === 'full' ? 'dataset' : 'light cache'} for ${algo} epoch ${epoch}: ${percent}%`);
      },
    });
    this.prepared.add(key);
    this.hasher.retain([{ algo, epoch }]);
    for (const other of [...this.prepared]) if (other !== key) this.prepared.delete(other);
    this.log.info({ event: 'epoch-ready', algo, epoch, mode, ms: Math.round(performance.now() - started) }, `miner: ${algo} epoch ${epoch} ready (${mode}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }

  private async submit(job: EthWorkJob, nonce: bigint, mix: Buffer): Promise<void> {
    const nonceHex = nonce.toString(16).padStart(16, '0');
    const sentAt = performance.now();
    this.emit({ type: 'submitted', jobId: job.jobId, nonce: nonceHex, submitted: ++this.submittedCount }, `miner: submitting job ${job.jobId} nonce ${nonceHex}`, 'debug');
    try {
      const answer = await job.submit(nonce, mix);
      const seconds = (performance.now() - sentAt) / 1000;
      if (answer.accepted) {
        this.counters.accepted++;
        if (answer.stale) this.counters.stale++;
        this.emit(
          { type: 'accepted', jobId: job.jobId, nonce: nonceHex, stale: answer.stale, accepted: this.counters.accepted, seconds },
          `miner: share accepted${answer.stale ? ' (stale)' : ''} job ${job.jobId} nonce ${nonceHex} (${this.counters.accepted} accepted)`,
        );
      } else {
        this.counters.rejected++;
        const message = answer.message ?? 'rejected';
        this.emit(
          { type: 'rejected', jobId: job.jobId, nonce: nonceHex, code: answer.code, message, rejected: this.counters.rejected, seconds },
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
    if (link === undefined) return;
    link.reportHashrate(BigInt(Math.round(this.lastRate))).then(
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
