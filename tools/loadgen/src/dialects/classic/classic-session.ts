import type { ShareKind } from '../../mix/share-kind';
import type { DialectSession, DriverSessionOptions, JobRef, PoolReply, PreparedShare, RejectReason, SessionChannel, SkippedShare } from '../dialect-driver';
import { classicReason, readClassicReply } from './classic-reply';
import { hashesPerHit, scanTargetOf, targetFromDifficulty } from './targets';

/** A job of a Stratum v1 style dialect, with the share target bound to it when it arrived (DESIGN.md "Difficulty belongs to the job"). */
export interface ClassicJob extends JobRef {
  readonly clean: boolean;
  /** the pool's share target for this job: diff1 / difficulty */
  readonly target: bigint;
  /** the block target of the job (a hash at or below it is a block, which the pool accepts whatever the share target) */
  readonly networkTarget: bigint;
}

/** The coin half of a Stratum v1 style dialect: job fields, headers, hashes and submit params. */
export interface ClassicCoin<J extends ClassicJob> {
  /** the difficulty-1 target of `mining.set_difficulty` */
  readonly diff1: bigint;
  /**
   * Reads `mining.notify` params into a job.
   *
   * @throws Error naming the param and the rule when they are malformed
   */
  parseNotify(params: unknown[], target: bigint): J;
  /**
   * The 80-byte header of a share on `job` with nonce 0.
   *
   * @param versionBits BIP 310 version bits of the share, undefined when not rolled
   * @param versionMask the mask the pool granted (undefined when none)
   */
  header(job: J, extranonce1: Buffer, extranonce2: Buffer, versionBits: number | undefined, versionMask: number | undefined): Buffer;
  /** Nonces in [start, start + count) whose hash meets `target` (native, off the event loop). */
  scan(header: Buffer, start: number, count: number, target: bigint): Promise<number[]>;
  /** The hash of `header` with `nonce`, as the number a target is compared with. */
  value(header: Buffer, nonce: number): bigint;
  /** `mining.submit` params. */
  submitParams(worker: string, job: J, extranonce2: string, nonce: number, versionBits: number | undefined): unknown[];
}

/** Nonces scanned for valid shares of one job and extranonce2. */
interface Supply<J> {
  job: J;
  extranonce2: Buffer;
  versionBits: number | undefined;
  header: Buffer;
  nonces: number[];
  next: number;
  /** next nonce to scan, upwards from 0 */
  cursor: number;
  /** next candidate of a low-difficulty share, downwards from 2^32 - 1 */
  lowCursor: number;
}

/** Jobs kept per session: enough for a stale share and for duplicates of recent jobs. */
const JOB_HISTORY = 8;
/** Accepted shares kept per session for duplicates. */
const ACCEPTED_KEPT = 16;
/** Nonces kept clear of the valid scan at the top of the range, for low-difficulty shares. */
const LOW_RANGE = 2 ** 20;
/** Largest nonce range of one scan call (it runs on a libuv thread; smaller calls keep the pool of threads shared). */
const MAX_SCAN = 2 ** 24;
/** Tries at finding a nonce that misses the target, per low-difficulty share. */
const LOW_TRIES = 64;

/**
 * The session logic shared by Bitcoin stratum V1 and Warthog stratum (the
 * same message set: subscribe, authorize, set_difficulty, notify, submit,
 * the `[code, message, data]` error triple), with a ClassicCoin for what
 * differs: job fields, header, hash and submit params.
 *
 * - Difficulty: `mining.set_difficulty` is staged and bound to the next
 *   notify; each job carries its own target (DESIGN.md "Difficulty belongs
 *   to the job"). Difficulty 1 until told otherwise.
 * - Valid shares: nonces scanned upwards from 0 on the newest job with a
 *   fresh extranonce2 per job (never reused within the session, so no two
 *   valid shares can collide), at a target 1/65536 harder than the pool's.
 * - Low-difficulty: a nonce taken downwards from 2^32 - 1 whose hash is
 *   above twice the easiest target the session was given and above the
 *   block target.
 * - Duplicate: an accepted share of a job not superseded, sent again.
 * - Stale: a share on the newest job superseded by a clean-jobs notify.
 * - Malformed: in turn, a line cut off inside its params (not JSON) and a
 *   `mining.submit` with 2 params.
 */
export class ClassicSession<J extends ClassicJob> implements DialectSession {
  protected extranonce1 = Buffer.alloc(0);
  protected extranonce2Size = 0;
  protected versionMask: number | undefined;
  private stagedDifficulty = 1;
  private easiestTarget = 0n;
  private readonly jobs: J[] = [];
  private current: J | undefined;
  private lastSuperseded: J | undefined;
  private supply: Supply<J> | undefined;
  private refilling: Promise<void> | undefined;
  private extranonce2Counter = 0;
  private versionCounter = 0;
  private staleNonce = 0;
  private malformedCount = 0;
  private readonly acceptedShares: PreparedShare[] = [];
  private firstJob: (() => void) | undefined;

  /**
   * @param channel the session core
   * @param options rates (to size scans) and version rolling
   * @param coin the coin half
   * @param userAgent the `mining.subscribe` user agent
   */
  constructor(
    protected readonly channel: SessionChannel,
    protected readonly options: DriverSessionOptions,
    protected readonly coin: ClassicCoin<J>,
    private readonly userAgent: string,
  ) {}

  async start(): Promise<void> {
    const firstJob = new Promise<void>((resolve) => (this.firstJob = resolve));
    await this.configure();
    const sub = await this.channel.request('mining.subscribe', [this.userAgent]);
    if (!sub.ok || !Array.isArray(sub.result)) throw new Error(`mining.subscribe refused: ${sub.code ?? ''} ${sub.message ?? JSON.stringify(sub.result)}`);
    this.setExtranonce(sub.result[1], sub.result[2]);
    const auth = await this.channel.request('mining.authorize', [this.channel.worker, this.channel.password]);
    if (auth.result !== true) throw new Error(`mining.authorize ${this.channel.worker} refused: ${auth.code ?? ''} ${auth.message ?? JSON.stringify(auth.result)}`);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        firstJob,
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no mining.notify within ${this.channel.replyTimeoutMs} ms of mining.authorize`)), this.channel.replyTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The step before subscribe (Bitcoin: `mining.configure` for version rolling); none by default. */
  protected async configure(): Promise<void> {
    return;
  }

  make(kind: ShareKind): PreparedShare | SkippedShare | Promise<PreparedShare | SkippedShare> {
    switch (kind) {
      case 'valid':
        return this.makeValid();
      case 'low-difficulty':
        return this.makeLow();
      case 'duplicate':
        return this.makeDuplicate();
      case 'stale':
        return this.makeStale();
      case 'malformed':
        return this.makeMalformed();
    }
  }

  onMessage(method: string, params: unknown, id: unknown): void {
    const p = Array.isArray(params) ? params : [];
    switch (method) {
      case 'mining.set_difficulty': {
        const d = Number(p[0]);
        if (!(Number.isFinite(d) && d > 0)) throw new Error(`mining.set_difficulty ${JSON.stringify(p[0])} is not a positive number`);
        this.stagedDifficulty = d;
        return;
      }
      case 'mining.notify':
        this.onNotify(p);
        return;
      case 'mining.set_extranonce':
        this.setExtranonce(p[0], p[1]);
        return;
      case 'mining.set_version_mask': {
        const mask = Number.parseInt(String(p[0]), 16);
        if (Number.isInteger(mask)) this.versionMask = mask >>> 0;
        this.supply = undefined;
        return;
      }
      case 'client.get_version':
        if (id !== null && id !== undefined) this.channel.respond(id, this.userAgent, null);
        return;
      default:
        // client.reconnect, client.show_message and the rest: a load generator stays put
        if (id !== null && id !== undefined) this.channel.respond(id, null, [-32601, `${method} is not supported by the load generator`, null]);
    }
  }

  readReply(message: Record<string, unknown>, at: number): PoolReply {
    return readClassicReply(message, at);
  }

  reasonOf(reply: PoolReply): RejectReason {
    return classicReason(reply);
  }

  accepted(share: PreparedShare): void {
    if (this.acceptedShares.length >= ACCEPTED_KEPT) this.acceptedShares.shift();
    this.acceptedShares.push(share);
  }

  /* ---------------------------------------------------------------- jobs */

  private onNotify(params: unknown[]): void {
    const target = targetFromDifficulty(this.stagedDifficulty, this.coin.diff1);
    const job = this.coin.parseNotify(params, target);
    if (target > this.easiestTarget) this.easiestTarget = target;
    if (job.clean) {
      for (const j of this.jobs) j.superseded = true;
      if (this.current !== undefined) this.lastSuperseded = this.current;
    }
    if (this.jobs.length >= JOB_HISTORY) this.jobs.shift();
    this.jobs.push(job);
    this.current = job;
    this.firstJob?.();
    this.firstJob = undefined;
    if (job.clean) this.channel.cleanJob();
  }

  private setExtranonce(extranonce1: unknown, size: unknown): void {
    const en1 = String(extranonce1);
    const n = Number(size);
    if (!/^([0-9a-fA-F]{2})*$/.test(en1)) throw new Error(`extranonce1 ${JSON.stringify(extranonce1)} is not hex bytes`);
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new Error(`extranonce2 size ${JSON.stringify(size)} is not an integer from 1 to 32`);
    this.extranonce1 = Buffer.from(en1, 'hex');
    this.extranonce2Size = n;
    this.supply = undefined;
  }

  /* ---------------------------------------------------------------- shares */

  private freshSupply(job: J): Supply<J> {
    const extranonce2 = Buffer.alloc(this.extranonce2Size);
    const counter = this.extranonce2Counter++;
    const bytes = Math.min(6, extranonce2.length);
    extranonce2.writeUIntBE(counter % 2 ** (8 * bytes), extranonce2.length - bytes, bytes);
    const versionBits = this.nextVersionBits();
    return { job, extranonce2, versionBits, header: this.coin.header(job, this.extranonce1, extranonce2, versionBits, this.versionMask), nonces: [], next: 0, cursor: 0, lowCursor: 2 ** 32 - 1 };
  }

  /** Version bits of the next supply: a different value inside the mask each time (BIP 310). */
  private nextVersionBits(): number | undefined {
    const mask = this.versionMask;
    if (mask === undefined || mask === 0) return undefined;
    const low = mask & -mask;
    const bits = (((this.versionCounter++ % 0xffff) + 1) * low) & mask;
    return (bits === 0 ? low : bits) >>> 0;
  }

  /** The supply of the newest job (a new one when the job or the extranonce changed). */
  private supplyFor(job: J): Supply<J> {
    if (this.supply === undefined || this.supply.job !== job) this.supply = this.freshSupply(job);
    return this.supply;
  }

  private async makeValid(): Promise<PreparedShare | SkippedShare> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const job = this.current;
      if (job === undefined) return { skip: 'no job yet' };
      const supply = this.supplyFor(job);
      if (supply.next < supply.nonces.length) {
        const nonce = supply.nonces[supply.next++] as number;
        return this.share('valid', job, supply.extranonce2, nonce, supply.versionBits);
      }
      this.refilling ??= this.refill(supply).finally(() => (this.refilling = undefined));
      await this.refilling;
    }
    return { skip: 'the scan found no share in time (is the difficulty low enough?)' };
  }

  private async refill(supply: Supply<J>): Promise<void> {
    if (supply.cursor >= 2 ** 32 - LOW_RANGE) {
      // nonce range used up: the next call starts a fresh extranonce2
      if (this.supply === supply) this.supply = undefined;
      return;
    }
    const { job } = supply;
    const target = scanTargetOf(job.target);
    const wanted = Math.min(1024, Math.max(4, Math.ceil(this.options.sharesPerSecond * this.options.validFraction * 4) + 2));
    const count = Math.max(1, Math.min(2 ** 32 - LOW_RANGE - supply.cursor, MAX_SCAN, Math.ceil(wanted * hashesPerHit(target))));
    const start = supply.cursor;
    supply.cursor += count;
    const hits = await this.coin.scan(supply.header, start, count, target);
    supply.nonces = supply.nonces.slice(supply.next).concat(hits);
    supply.next = 0;
  }

  private makeLow(): PreparedShare | SkippedShare {
    const job = this.current;
    if (job === undefined) return { skip: 'no job yet' };
    const supply = this.supplyFor(job);
    const floor = 2n * (this.easiestTarget > job.target ? this.easiestTarget : job.target);
    for (let i = 0; i < LOW_TRIES && supply.lowCursor > supply.cursor; i++) {
      const nonce = supply.lowCursor--;
      const value = this.coin.value(supply.header, nonce);
      if (value > floor && value > job.networkTarget) return this.share('low-difficulty', job, supply.extranonce2, nonce, supply.versionBits);
    }
    return { skip: `no nonce missing the share target in ${LOW_TRIES} tries (the difficulty is too low for low-difficulty shares)` };
  }

  private makeDuplicate(): PreparedShare | SkippedShare {
    for (let i = this.acceptedShares.length - 1; i >= 0; i--) {
      const share = this.acceptedShares[i] as PreparedShare;
      if (share.job?.superseded !== true) return { ...share, kind: 'duplicate' };
    }
    return { skip: 'no accepted share on a current job yet' };
  }

  private makeStale(): PreparedShare | SkippedShare {
    const job = this.lastSuperseded;
    if (job === undefined) return { skip: 'no job superseded by a clean-jobs notify yet' };
    const extranonce2 = Buffer.alloc(this.extranonce2Size);
    return this.share('stale', job, extranonce2, this.staleNonce++ >>> 0, undefined);
  }

  private makeMalformed(): PreparedShare | SkippedShare {
    const job = this.current;
    const broken = this.malformedCount++ % 2 === 0;
    return { kind: 'malformed', method: 'mining.submit', params: [this.channel.worker, job?.id ?? '0'], ...(job ? { job } : {}), broken };
  }

  private share(kind: ShareKind, job: J, extranonce2: Buffer, nonce: number, versionBits: number | undefined): PreparedShare {
    return { kind, method: 'mining.submit', params: this.coin.submitParams(this.channel.worker, job, extranonce2.toString('hex'), nonce, versionBits), job };
  }
}
