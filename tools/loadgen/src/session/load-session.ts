import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LineFramer } from '@lode/stratum-core';
import type { DialectDriver, DialectSession, PoolReply, PreparedShare, RejectReason, SessionChannel } from '../dialects/dialect-driver';
import { ShareMixScheduler } from '../mix/share-mix-scheduler';
import type { ShareKind, ShareMix } from '../mix/share-kind';
import { errorKey } from '../stats/bounded-counter';
import type { LoadStats, Outcome } from '../stats/load-stats';

/** Longest line the pool may send, bytes (a notify with many merkle branches stays far below). */
const MAX_LINE_BYTES = 65536;
/** Share kinds waiting in a session's queue while a scan runs; more are throttled. */
const QUEUE_CAP = 16;
/** Refusals kept waiting for a clean-jobs notify that may explain them (per session). */
const DEFERRED_CAP = 256;
/** Timed-out request ids remembered, so that a late reply is not called a reply to an unknown id. */
const TIMED_OUT_CAP = 256;
/** Longest period between share ticks, ms; faster rates send several shares per tick. */
const MIN_TICK_MS = 5;
/** Most shares one tick may owe (after a stall of the event loop). */
const MAX_SHARES_PER_TICK = 64;

/** Where and how a session connects, and what it sends. */
export interface LoadSessionOptions {
  host: string;
  port: number;
  tls: boolean;
  /** local address to bind (spreads many sessions over 127.0.0.x source addresses) */
  localAddress?: string;
  user: string;
  password: string;
  replyTimeoutMs: number;
  /** requests of one session waiting for their reply, at most */
  maxInFlight: number;
  /** shares per second (0: an idle session) */
  sharesPerSecond: number;
  mix: ShareMix;
  versionRolling: boolean;
}

/** A request waiting for its reply. */
interface Pending {
  id: number | null;
  /** performance.now() when written, ms */
  sentAt: number;
  share?: PreparedShare;
  resolve?: (reply: PoolReply) => void;
  reject?: (error: Error) => void;
}

/** A refusal that a clean-jobs notify arriving late may still explain. */
interface Deferred {
  share: PreparedShare;
  reason: RejectReason;
  detail: string;
  deadline: number;
}

const now = (): number => performance.now();

/**
 * One simulated miner: a TCP (or TLS) connection, line framing with a cap,
 * requests matched to replies by id (and replies with a null id to lines
 * that were not JSON, in order), the dialect session for everything the
 * dialect decides, and a share clock sending `sharesPerSecond` shares of the
 * kinds a ShareMixScheduler picks.
 *
 * Every share reply is judged against the verdict its kind is owed (see
 * Outcome) and counted in LoadStats with its write-to-reply latency. A
 * refusal as stale or unknown job of a share whose job was not yet seen
 * superseded waits (at most replyTimeoutMs) for the clean-jobs notify that
 * may still be on its way. Requests without a reply within replyTimeoutMs
 * count as missing. Bounded: at most `maxInFlight` requests in flight, 16
 * queued share kinds, 256 deferred refusals.
 */
export class LoadSession {
  private socket: Socket | undefined;
  private readonly framer = new LineFramer({ maxLineBytes: MAX_LINE_BYTES });
  private readonly pending = new Map<number, Pending>();
  /** lines written that were not JSON: their replies carry a null id, in this order */
  private readonly brokenQueue: Pending[] = [];
  private readonly timedOut = new Set<number>();
  private readonly deferred: Deferred[] = [];
  private readonly queue: ShareKind[] = [];
  private readonly scheduler: ShareMixScheduler | undefined;
  private readonly dialect: DialectSession;
  private nextId = 1;
  private pumping = false;
  private blocked = false;
  private sending = false;
  private clock: NodeJS.Timeout | undefined;
  private clockStart = 0;
  private ticksDone = 0;
  private opened = false;
  private closing = false;
  private closedReason: string | undefined;

  /**
   * @param index session number (worker `<user>.<index>`, the mix offset)
   * @param driver the dialect
   * @param options connection and share settings
   * @param stats where every count goes
   */
  constructor(
    readonly index: number,
    private readonly driver: DialectDriver,
    private readonly options: LoadSessionOptions,
    private readonly stats: LoadStats,
  ) {
    const validFraction = options.mix.valid / 100;
    this.scheduler = options.sharesPerSecond > 0 ? new ShareMixScheduler(options.mix, index) : undefined;
    const channel: SessionChannel = {
      index,
      worker: `${options.user}.${index}`,
      password: options.password,
      replyTimeoutMs: options.replyTimeoutMs,
      request: (method, params) => this.request(method, params),
      respond: (id, result, error) => this.writeLine(JSON.stringify({ id, result, error })),
      cleanJob: () => this.onCleanJob(),
    };
    this.dialect = driver.createSession(channel, { sharesPerSecond: options.sharesPerSecond, validFraction, versionRolling: options.versionRolling });
  }

  /** requests waiting for a reply, and refusals waiting for a clean-jobs notify */
  get outstanding(): number {
    return this.pending.size + this.brokenQueue.length + this.deferred.length;
  }

  /** true once the connection closed, for any reason */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /**
   * Connects and runs the dialect's handshake until the first job.
   *
   * @throws Error when the connection fails, a handshake step is refused or
   *   a reply (or the first job) does not come within replyTimeoutMs
   */
  async open(): Promise<void> {
    const started = now();
    const { host, port, tls, localAddress } = this.options;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`no TCP connection to ${host}:${port} within ${this.options.replyTimeoutMs} ms`));
      }, this.options.replyTimeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        s.off('error', fail);
        resolve(s);
      };
      const fail = (e: Error): void => {
        clearTimeout(timer);
        reject(new Error(`connect to ${host}:${port}: ${e.message}`));
      };
      const s: Socket = tls
        ? tlsConnect({ host, port, rejectUnauthorized: false, ...(localAddress ? { localAddress } : {}) }, done)
        : netConnect({ host, port, ...(localAddress ? { localAddress } : {}) }, done);
      s.once('error', fail);
    });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.blocked = false;
    });
    socket.on('error', (e) => this.onClose(`socket error: ${e.message}`));
    socket.on('close', () => this.onClose('closed by the pool'));
    await this.dialect.start();
    if (this.closedReason !== undefined) throw new Error(this.closedReason);
    this.opened = true;
    this.stats.openLatency.record(now() - started);
  }

  /** Starts the share clock (nothing for an idle session). */
  startSending(): void {
    const rate = this.options.sharesPerSecond;
    if (this.scheduler === undefined || rate <= 0 || this.closed) return;
    this.sending = true;
    const period = Math.max(MIN_TICK_MS, 1000 / rate);
    // sessions start spread over one period, so that their shares do not all arrive together
    const phase = ((this.index * 0.6180339887) % 1) * period;
    this.clock = setTimeout(() => {
      this.clockStart = now();
      this.tick();
      this.clock = setInterval(() => this.tick(), period);
    }, phase);
  }

  /** Stops the share clock; requests in flight still get their replies. */
  stopSending(): void {
    this.sending = false;
    if (this.clock !== undefined) {
      clearTimeout(this.clock);
      clearInterval(this.clock);
      this.clock = undefined;
    }
    this.queue.length = 0;
  }

  /**
   * Counts requests older than replyTimeoutMs as missing, and judges
   * deferred refusals whose wait is over.
   *
   * @param at performance.now(), ms
   */
  sweep(at: number): void {
    const limit = at - this.options.replyTimeoutMs;
    for (const [id, p] of this.pending) {
      // insertion order is send order: the first one still in time ends the walk
      if (p.sentAt > limit) break;
      this.pending.delete(id);
      this.rememberTimedOut(id);
      this.expire(p, 'timedOut');
    }
    while (this.brokenQueue.length > 0 && (this.brokenQueue[0] as Pending).sentAt <= limit) {
      this.expire(this.brokenQueue.shift() as Pending, 'timedOut');
    }
    while (this.deferred.length > 0 && (this.deferred[0] as Deferred).deadline <= at) {
      this.settleDeferred(this.deferred.shift() as Deferred);
    }
  }

  /** Closes the connection; whatever is still outstanding counts as lost. */
  close(): void {
    this.stopSending();
    this.closing = true;
    this.socket?.destroy();
    this.onClose('closed by the load generator');
  }

  /* ---------------------------------------------------------------- sending */

  private tick(): void {
    if (!this.sending || this.scheduler === undefined) return;
    const due = Math.floor(((now() - this.clockStart) * this.options.sharesPerSecond) / 1000) + 1;
    const owedInAll = due - this.ticksDone;
    this.ticksDone = Math.max(this.ticksDone, due);
    // after a stall of the event loop, the shares past MAX_SHARES_PER_TICK are not sent in a burst
    if (owedInAll > MAX_SHARES_PER_TICK) this.stats.throttled += owedInAll - MAX_SHARES_PER_TICK;
    for (let owed = Math.min(MAX_SHARES_PER_TICK, owedInAll); owed > 0; owed--) {
      const kind = this.scheduler.next();
      if (this.blocked || this.queue.length >= QUEUE_CAP || this.pending.size + this.brokenQueue.length >= this.options.maxInFlight) {
        this.stats.throttled += 1;
        continue;
      }
      this.queue.push(kind);
    }
    if (!this.pumping && this.queue.length > 0) void this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      while (this.sending && this.queue.length > 0 && !this.closed) {
        const kind = this.queue.shift() as ShareKind;
        let made: Awaited<ReturnType<DialectSession['make']>>;
        try {
          made = await this.dialect.make(kind);
        } catch (e) {
          this.stats.skip(kind, `could not be made: ${e instanceof Error ? e.message : String(e)}`);
          continue;
        }
        if ('skip' in made) {
          this.stats.skip(kind, made.skip);
          continue;
        }
        if (!this.sending || this.closed) break;
        this.sendShare(made);
      }
    } finally {
      this.pumping = false;
    }
  }

  private sendShare(share: PreparedShare): void {
    if (share.broken === true) {
      const p: Pending = { id: null, sentAt: now(), share };
      this.brokenQueue.push(p);
      // cut off inside the params: the pool cannot read the id, so it answers with id null
      this.writeLine(`{"id":${this.allocateId()},"method":"${share.method}","params":[`);
      p.sentAt = now();
    } else {
      const id = this.allocateId();
      const p: Pending = { id, sentAt: 0, share };
      this.pending.set(id, p);
      p.sentAt = now();
      this.writeLine(JSON.stringify({ id, method: share.method, params: share.params }));
    }
    this.stats.sent[share.kind] += 1;
    this.stats.sharesWritten += 1;
  }

  private request(method: string, params: unknown): Promise<PoolReply> {
    if (this.closedReason !== undefined) return Promise.reject(new Error(this.closedReason));
    return new Promise<PoolReply>((resolve, reject) => {
      const id = this.allocateId();
      this.pending.set(id, { id, sentAt: now(), resolve, reject });
      this.writeLine(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
    });
  }

  private allocateId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = id >= this.driver.maxRequestId ? 1 : id + 1;
      if (!this.pending.has(id)) return id;
    }
  }

  private writeLine(line: string): void {
    if (this.socket === undefined || this.closed) return;
    if (!this.socket.write(`${line}\n`)) this.blocked = true;
  }

  /* ---------------------------------------------------------------- receiving */

  private onData(chunk: Buffer): void {
    const at = now();
    let lines: string[];
    try {
      lines = this.framer.push(chunk);
    } catch (e) {
      this.fail(`the pool sent ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    for (const line of lines) {
      if (this.closed) return;
      this.onLine(line, at);
    }
  }

  private onLine(line: string, at: number): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.fail(`the pool sent a line that is not JSON: ${line.slice(0, 120)}`);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.fail(`the pool sent a line that is not a JSON object: ${line.slice(0, 120)}`);
      return;
    }
    const m = message as Record<string, unknown>;
    if (typeof m['method'] === 'string') {
      try {
        this.dialect.onMessage(m['method'], m['params'], m['id']);
      } catch (e) {
        this.fail(`the pool sent a ${m['method']} the load generator cannot read: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    this.onReply(m, at, line);
  }

  private onReply(m: Record<string, unknown>, at: number, line: string): void {
    const id = m['id'];
    let p: Pending | undefined;
    if (id === null || id === undefined) {
      p = this.brokenQueue.shift();
    } else if (typeof id === 'number') {
      p = this.pending.get(id);
      if (p !== undefined) this.pending.delete(id);
      else if (this.timedOut.delete(id)) {
        this.stats.lateReplies += 1;
        return;
      }
    }
    if (p === undefined) {
      this.stats.unknownId(`session ${this.index}: a reply to no request of this session: ${line.slice(0, 160)}`);
      return;
    }
    const reply = this.dialect.readReply(m, at);
    if (p.resolve !== undefined) {
      p.resolve(reply);
      return;
    }
    if (p.share !== undefined) this.judge(p.share, reply, at - p.sentAt);
  }

  private judge(share: PreparedShare, reply: PoolReply, latencyMs: number): void {
    this.stats.latency.record(latencyMs);
    this.stats.windowLatency.record(latencyMs);
    this.stats.shareReplies += 1;
    const { kind } = share;
    if (reply.ok) {
      if (kind === 'valid') {
        this.dialect.accepted(share);
        this.stats.judge(kind, 'accepted', 'expected', '');
      } else {
        this.stats.judge(kind, 'accepted', 'wrong', `session ${this.index}: a ${kind} share was accepted (job ${share.job?.id ?? '-'})`);
      }
      return;
    }
    const reason = this.dialect.reasonOf(reply);
    this.stats.errors.add(errorKey(reply.code, reply.message));
    const detail = `session ${this.index}: a ${kind} share on job ${share.job?.id ?? '-'} was refused as ${reason}: ${reply.code ?? '-'} ${reply.message ?? ''}`;
    const raced = reason === 'stale' || reason === 'unknown-job';
    if (kind === 'stale' ? raced : kind === 'malformed' || reason === kind) {
      this.stats.judge(kind, reason, 'expected', detail);
    } else if (raced && share.job !== undefined) {
      if (share.job.superseded) this.stats.judge(kind, reason, 'superseded', detail);
      else this.defer({ share, reason, detail, deadline: now() + this.options.replyTimeoutMs });
    } else {
      this.stats.judge(kind, reason, kind === 'valid' ? 'wrong' : 'unexpected', detail);
    }
  }

  private defer(d: Deferred): void {
    if (this.deferred.length >= DEFERRED_CAP) {
      this.settleDeferred(d);
      return;
    }
    this.deferred.push(d);
  }

  /** Judges a refusal whose wait for a clean-jobs notify is over. */
  private settleDeferred(d: Deferred): void {
    const { share, reason } = d;
    const outcome: Outcome = share.job?.superseded === true ? 'superseded' : share.kind === 'valid' ? 'wrong' : 'unexpected';
    this.stats.judge(share.kind, reason, outcome, `${d.detail} (no clean-jobs notify explains it)`);
  }

  private onCleanJob(): void {
    if (this.deferred.length === 0) return;
    const waiting = this.deferred.splice(0);
    for (const d of waiting) {
      if (d.share.job?.superseded === true) this.settleDeferred(d);
      else this.deferred.push(d);
    }
  }

  /* ---------------------------------------------------------------- closing */

  private fail(reason: string): void {
    this.socket?.destroy();
    this.onClose(reason);
  }

  private onClose(reason: string): void {
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    this.stopSending();
    if (this.opened && !this.closing) this.stats.sessions.closedByPool += 1;
    const error = new Error(`session ${this.index}: ${reason}`);
    for (const p of this.pending.values()) this.lose(p, error);
    this.pending.clear();
    for (const p of this.brokenQueue.splice(0)) this.lose(p, error);
    for (const d of this.deferred.splice(0)) this.settleDeferred(d);
  }

  private lose(p: Pending, error: Error): void {
    if (p.reject !== undefined) p.reject(error);
    else if (p.share !== undefined) this.stats.missing(p.share.kind, 'lostAtClose');
  }

  private expire(p: Pending, why: 'timedOut'): void {
    if (p.reject !== undefined) {
      this.stats.handshakeTimeouts += 1;
      p.reject(new Error(`session ${this.index}: no reply within ${this.options.replyTimeoutMs} ms`));
    } else if (p.share !== undefined) {
      this.stats.missing(p.share.kind, why);
    }
  }

  private rememberTimedOut(id: number): void {
    if (this.timedOut.size >= TIMED_OUT_CAP) {
      const oldest = this.timedOut.values().next().value as number;
      this.timedOut.delete(oldest);
    }
    this.timedOut.add(id);
  }
}
