import { ExtranonceAllocator } from '@lode/mining';
import { LodeError } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { ExtranonceLeases } from '../ports/extranonce-leases';
import { ResumeHolds } from './resume-holds';

/** Fresh values tried before giving up when each is claimed by another instance. */
const MAX_CLAIM_ATTEMPTS = 16;
/** Claims refreshed concurrently (ioredis pipelines them on one connection). */
const REFRESH_BATCH = 256;
/** While the leases keep failing, one log line per this many failures. */
const FAILURE_LOG_EVERY = 1000;

/** Options of {@link ExtranonceSource}. Internal. */
export interface ExtranonceSourceOptions {
  /** extranonce1 size, bytes, prefix included */
  size: number;
  /** a fixed instance prefix (PoolEngineOptions.instancePrefix); not with `leases` */
  prefix?: Buffer;
  /** cluster leases; the prefix is then taken from them at start() */
  leases?: ExtranonceLeases;
  /** prefix length asked of the leases, bytes, 1..size-1 */
  prefixBytes: number;
  /** this instance's id, stored with every claim */
  instanceId: string;
  /** most values held for resume at once */
  maxHolds: number;
  /** how long a claim lives unless refreshed, ms */
  claimTtlMs: number;
  logger: LodeLogger;
}

/**
 * Where a {@link MinerSession} gets its extranonce1 from, and gives it back
 * to. Internal to the engine.
 *
 * Without leases: an ExtranonceAllocator (optionally with a fixed prefix) and
 * the resume holds, as in one process.
 *
 * With {@link ExtranonceLeases} (several instances on one store, issue 4):
 * - start() takes a unique prefix (`acquirePrefix`) and builds the allocator
 *   with it; stop() gives it back (`releasePrefix`).
 * - Every value a live session uses is claimed (`claim`, refreshed from the
 *   engine's maintenance timer by refresh()), whoever's prefix it has: a
 *   fresh value before it is handed out (skipped when another instance
 *   claimed it, i.e. a session of ours resumed over there), a resumed value
 *   of another instance's prefix before the resume is granted.
 * - A claim is dropped when its session closes. The resume window is then
 *   guarded by the session store (a record is taken once) and, for our own
 *   values, by the local hold; keeping the claim through the window would
 *   make the instance where the miner comes back unable to claim it.
 * - A store failure never refuses a miner: the value is used unclaimed,
 *   logged, and claimed by the next refresh.
 */
export class ExtranonceSource {
  private allocator: ExtranonceAllocator | undefined;
  private holds: ResumeHolds | undefined;
  /** values of live sessions claimed (or to be claimed) through the leases, by hex */
  private readonly live = new Map<string, Buffer>();
  private readonly pending = new Set<Promise<void>>();
  private acquiring: Promise<void> | undefined;
  private refreshing: Promise<void> | undefined;
  private failuresInARow = 0;
  private stopped = false;

  /** @throws LodeError('config') on a prefix given together with leases, or a bad prefixBytes */
  constructor(private readonly options: ExtranonceSourceOptions) {
    const { size, prefix, leases, prefixBytes } = options;
    if (leases === undefined) {
      this.build(prefix);
      return;
    }
    if (prefix !== undefined) {
      throw new LodeError('config', 'instancePrefix and extranonceLeases exclude each other: with leases the prefix is taken at start()');
    }
    if (!Number.isInteger(size) || size < 2 || size > 8) {
      throw new LodeError('config', `extranonce1 size must be an integer from 2 to 8 bytes with extranonce leases, got ${String(size)}`);
    }
    if (!Number.isInteger(prefixBytes) || prefixBytes < 1 || prefixBytes >= size) {
      throw new LodeError(
        'config',
        `extranoncePrefixBytes must be an integer from 1 to ${size - 1} (extranonce1 is ${size} bytes), got ${String(prefixBytes)}`,
      );
    }
  }

  /** the prefix every value allocated here starts with (empty without one); undefined before start() with leases */
  get prefix(): Buffer | undefined {
    return this.allocator === undefined ? undefined : Buffer.from(this.allocator.prefix);
  }

  /** values held for resume */
  get heldForResume(): number {
    return this.holds?.size ?? 0;
  }

  /** values claimed through the leases for live sessions (0 without leases) */
  get claimed(): number {
    return this.live.size;
  }

  /**
   * With leases: takes this instance's prefix once and builds the allocator.
   *
   * @throws LodeError('store') from the leases, or when the prefix has the wrong length
   */
  async start(): Promise<void> {
    const { leases, prefixBytes, instanceId } = this.options;
    if (leases === undefined || this.allocator !== undefined) return;
    this.acquiring ??= (async () => {
      const prefix = await leases.acquirePrefix(prefixBytes, instanceId);
      if (prefix.length !== prefixBytes) {
        throw new LodeError('store', `extranonce leases gave a ${prefix.length}-byte prefix, ${prefixBytes} bytes were asked for`);
      }
      this.build(prefix);
      this.options.logger.info({ prefix: prefix.toString('hex'), instanceId }, 'extranonce1 prefix acquired');
    })();
    try {
      await this.acquiring;
    } catch (error) {
      this.acquiring = undefined;
      throw error;
    }
  }

  /** Waits for claims and releases in flight, then gives the prefix back (failures logged). */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.refreshing;
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    const { leases } = this.options;
    if (leases === undefined || this.allocator === undefined) return;
    try {
      await leases.releasePrefix();
    } catch (error) {
      this.options.logger.error({ err: error }, 'extranonce leases failed to release the prefix; it expires on its own');
    }
  }

  /**
   * A fresh value for a new session (claimed cluster-wide with leases).
   *
   * @throws LodeError('connection') before start() with leases;
   *   LodeError('protocol') when the space is exhausted, or 16 values in a
   *   row are claimed by other instances
   */
  async allocate(): Promise<Buffer> {
    const allocator = this.ready();
    if (this.options.leases === undefined) return allocator.allocate();
    const skipped: Buffer[] = [];
    try {
      for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
        const value = allocator.allocate();
        const hex = value.toString('hex');
        this.live.set(hex, value);
        if ((await this.claim(value)) !== false) return value;
        // One of ours that a session resumed on another instance still uses.
        this.live.delete(hex);
        skipped.push(value);
      }
    } finally {
      // Held locally while the loop ran so that it never tried one twice.
      for (const value of skipped) allocator.release(value);
    }
    throw new LodeError(
      'protocol',
      `no free extranonce1: ${MAX_CLAIM_ATTEMPTS} values in a row are claimed by sessions resumed on other instances`,
    );
  }

  /**
   * Takes `extranonce1` back for a resuming session whose record the
   * session store gave out: held here for `sessionId`, or free here, or
   * (with leases) another instance's value that no live session claims.
   *
   * @returns true when the session may use it
   * @throws LodeError('connection') before start() with leases
   */
  async resume(sessionId: string, extranonce1: Buffer): Promise<boolean> {
    const allocator = this.ready();
    const hex = extranonce1.toString('hex');
    if (extranonce1.length !== allocator.size || this.live.has(hex)) return false;
    const own = this.isOwn(extranonce1);
    if (own && !(this.holds?.take(sessionId, extranonce1) === true || allocator.claim(extranonce1))) return false;
    if (this.options.leases === undefined) return own;
    this.live.set(hex, extranonce1);
    if ((await this.claim(extranonce1)) !== false) return true;
    this.live.delete(hex);
    if (own) allocator.release(extranonce1);
    return false;
  }

  /**
   * A closed session's value, kept for its resume window: our own values are
   * held locally until `expiresAt` (ms); the cluster claim is dropped.
   */
  hold(sessionId: string, extranonce1: Buffer, expiresAt: number): void {
    if (this.isOwn(extranonce1)) this.holds?.hold(sessionId, extranonce1, expiresAt);
    this.dropClaim(extranonce1);
  }

  /** ends the hold of `sessionId` at once (its save failed) */
  cancelHold(sessionId: string): void {
    this.holds?.cancel(sessionId);
  }

  /** gives a value back at once (no resume) */
  release(extranonce1: Buffer): void {
    if (this.isOwn(extranonce1)) this.allocator?.release(extranonce1);
    this.dropClaim(extranonce1);
  }

  /**
   * A fresh value for a live session moving off `old`, synchronously (the
   * caller tells the miner at once): with leases the claim is made in the
   * background, and a conflict, which needs a session resumed elsewhere on
   * exactly this value, is logged.
   *
   * @throws LodeError('protocol') when the space is exhausted (nothing changed then)
   */
  reassign(old: Buffer): Buffer {
    const allocator = this.ready();
    // Allocate before releasing, so that the new value is never the old one.
    const fresh = allocator.allocate();
    this.release(old);
    if (this.options.leases !== undefined) {
      this.live.set(fresh.toString('hex'), fresh);
      this.background(this.confirm(fresh));
    }
    return fresh;
  }

  /** ends the resume windows over at `now` (ms) */
  sweep(now: number): void {
    this.holds?.sweep(now);
  }

  /** Starts refreshing every live claim, unless a refresh still runs (with leases only). */
  refresh(): void {
    if (this.options.leases === undefined || this.stopped || this.refreshing !== undefined || this.live.size === 0) return;
    this.refreshing = this.refreshAll().finally(() => {
      this.refreshing = undefined;
    });
  }

  private async refreshAll(): Promise<void> {
    const values = [...this.live.values()];
    for (let i = 0; i < values.length; i += REFRESH_BATCH) {
      await Promise.all(values.slice(i, i + REFRESH_BATCH).map((value) => this.confirm(value)));
    }
  }

  /** claims a live value again; logs a conflict; undoes a claim that landed after its session let go */
  private async confirm(value: Buffer): Promise<void> {
    const hex = value.toString('hex');
    if (!this.live.has(hex)) return;
    const claimed = await this.claim(value);
    if (claimed === false) {
      this.options.logger.error(
        { extranonce1: hex },
        `extranonce1 ${hex} of a live session is claimed by another instance: two miners may be doing the same work`,
      );
    } else if (claimed === true && !this.live.has(hex)) {
      await this.releaseClaim(value);
    }
  }

  /** true/false from the leases; undefined when they failed (logged) */
  private async claim(value: Buffer): Promise<boolean | undefined> {
    const { leases, instanceId, claimTtlMs, logger } = this.options;
    if (leases === undefined) return true;
    try {
      const claimed = await leases.claim(value, instanceId, claimTtlMs);
      this.failuresInARow = 0;
      return claimed;
    } catch (error) {
      this.failuresInARow++;
      if (this.failuresInARow === 1 || this.failuresInARow % FAILURE_LOG_EVERY === 0) {
        logger.warn(
          { err: error, extranonce1: value.toString('hex'), inARow: this.failuresInARow },
          'extranonce leases failed: extranonce1 used unclaimed until a refresh claims it',
        );
      }
      return undefined;
    }
  }

  private dropClaim(value: Buffer): void {
    if (this.options.leases === undefined || !this.live.delete(value.toString('hex'))) return;
    this.background(this.releaseClaim(value));
  }

  private async releaseClaim(value: Buffer): Promise<void> {
    const { leases, instanceId, logger } = this.options;
    try {
      await leases?.release(value, instanceId);
    } catch (error) {
      logger.warn({ err: error, extranonce1: value.toString('hex') }, 'extranonce leases failed to release a claim; it expires on its own');
    }
  }

  private background(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private isOwn(extranonce1: Buffer): boolean {
    const allocator = this.allocator;
    return (
      allocator !== undefined &&
      extranonce1.length === allocator.size &&
      extranonce1.subarray(0, allocator.prefix.length).equals(allocator.prefix)
    );
  }

  private ready(): ExtranonceAllocator {
    if (this.allocator === undefined) {
      throw new LodeError('connection', 'the pool engine has not started: its extranonce1 prefix comes from the leases at start()');
    }
    return this.allocator;
  }

  private build(prefix: Buffer | undefined): void {
    const allocator = new ExtranonceAllocator({ size: this.options.size, ...(prefix === undefined ? {} : { prefix }) });
    this.allocator = allocator;
    this.holds = new ResumeHolds(allocator, this.options.maxHolds);
  }
}
