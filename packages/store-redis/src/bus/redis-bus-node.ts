import type Redis from 'ioredis';
import { ReplaySubject, type Observable, type Subscription } from 'rxjs';
import { LodeError, type LodeLogger } from '@lode/stratum-core';
import type { BlockSubmitResult, CoinNode, CoinTemplate } from '@lode/plugin-api';
import { leaseCommands, type LeaseCommands } from '../leases/lease-commands';
import { busPublishCommand, type BusKeySet, type BusPublishArgs } from './bus-commands';
import { decodeBusEntry, encodeBusTemplate, xreadEntries } from './bus-entry';

/** What RedisTemplateBus.wrap hands a {@link RedisBusNode}. Internal; durations in ms. */
export interface RedisBusNodeSettings {
  coin: string;
  /** the coin's real node: the first term's template source, and every block submission */
  node: CoinNode;
  /** command connection (lease and publish scripts, the first read) */
  redis: Redis;
  /** duplicated into this node's own blocking XREAD connection */
  readerSource: Redis;
  keys: BusKeySet;
  instanceId: string;
  leaseMs: number;
  refreshIntervalMs: number;
  streamMaxLen: number;
  createNode?: (coin: string) => CoinNode;
  logger: LodeLogger;
  /** called once when the node stops or crashes */
  onStopped: () => void;
}

/** how long one XREAD blocks before it is sent again (the connection is probed at least this often) */
const BLOCK_MS = 10_000;
/** entries taken per XREAD */
const READ_COUNT = 100;
/** what a read raced against closeReader() gives when the reader was closed first */
const CLOSED = Symbol('closed');

/** One term as publisher: the node whose templates go on the bus while the lease is ours. */
interface Term {
  node: CoinNode;
  subscription?: Subscription;
  /** node.start() was called in this term (its stop() is then due) */
  started: boolean;
  /** what node.start() threw, if it did */
  failure?: unknown;
}

type State = 'idle' | 'running' | 'stopped';

/**
 * A coin's node as seen through the Redis template bus ({@link RedisTemplateBus.wrap}).
 *
 * `templates$` emits the templates of the coin's bus stream, each with the
 * bus `jobId` (the sequence in hex, the same on every instance) and `clean`
 * (the publisher's flag, or true when this instance's previous template had
 * another prevHash or a lower height, and for the first one it emits). It
 * replays the latest to late subscribers, and completes on stop().
 *
 * After start(), every leaseMs / 3 the instance takes or renews the coin's
 * lease; while it holds it, it runs the node (node.start(), and node.stop()
 * when the lease is lost) and publishes the node's templates, republishing
 * the current one when none came for `refreshIntervalMs` (a new job id,
 * clean false, for fresh ntime). submitBlock() always goes through the real
 * node of this instance. A node starts once.
 */
export class RedisBusNode implements CoinNode {
  readonly templates$: Observable<CoinTemplate>;
  private readonly subject = new ReplaySubject<CoinTemplate>(1);
  private readonly leases: LeaseCommands;
  private readonly publishScript: (keys: BusKeySet, args: BusPublishArgs) => Promise<number>;
  private readonly logger: LodeLogger;
  private readonly tickMs: number;
  private state: State = 'idle';
  private crashed = false;

  private leaseTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private term?: Term;
  private terms = 0;
  /** node starts and stops, in order: a stop never overtakes the start before it */
  private transition: Promise<void> = Promise.resolve();
  private cooldownUntil = 0;
  private renewedAt = 0;
  private leaseFailing = false;
  /** the last lease release sent, awaited by stop() */
  private releasing: Promise<void> = Promise.resolve();

  private current?: CoinTemplate;
  private pending?: CoinTemplate;
  private publishing = false;

  private reader?: Redis;
  private reading: Promise<void> = Promise.resolve();
  private lastId = '0-0';
  private lastEmitted?: { prevHash: string; height: number };
  private readonly wakers = new Set<() => void>();

  constructor(private readonly settings: RedisBusNodeSettings) {
    this.templates$ = this.subject.asObservable();
    this.leases = leaseCommands(settings.redis);
    this.publishScript = busPublishCommand(settings.redis);
    this.logger = settings.logger.child({ coin: settings.coin, instanceId: settings.instanceId });
    this.tickMs = Math.max(1, Math.floor(settings.leaseMs / 3));
  }

  /** true while this instance holds the coin's lease and runs its node */
  get holding(): boolean {
    return this.term !== undefined;
  }

  /**
   * Emits the bus's latest template (if any), starts reading the bus, makes
   * the first lease attempt and, when it wins, waits for node.start().
   *
   * @throws LodeError('store') when Redis cannot be read
   * @throws LodeError('node') when called twice
   * @throws what node.start() throws when this instance won the lease at once
   *   and its node could not start (the lease is given back first), as the
   *   engine would see without a bus
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') {
      throw new LodeError('node', `the bus node of ${this.settings.coin} is ${this.state}; it starts once`);
    }
    this.state = 'running';
    let latest: [string, string[]][];
    try {
      latest = await this.settings.redis.xrevrange(this.settings.keys.stream, '+', '-', 'COUNT', 1);
    } catch (cause) {
      await this.stop();
      throw new LodeError('store', `cannot read the bus ${this.settings.keys.stream}: ${messageOf(cause)}`, { cause });
    }
    // Reading on from the id just read (or from 0 when empty) leaves no gap
    // for an entry added between this read and the first XREAD.
    if (latest.length > 0) this.deliver(latest[0][0], latest[0][1]);
    this.reader = this.settings.readerSource.duplicate();
    this.reader.on('error', (error: unknown) => this.logger.debug({ err: messageOf(error) }, 'bus reader connection error'));
    this.reading = this.readLoop(this.reader);

    await this.tick();
    // Renewals run while the node starts: a slow start must not let the lease lapse.
    this.scheduleTick();
    const term = this.term;
    if (term !== undefined) {
      await this.transition;
      if (term.failure !== undefined) {
        await this.stop();
        throw term.failure;
      }
    }
  }

  /**
   * Gives the lease back if held (compare-and-delete, so another instance
   * takes over within leaseMs / 3), stops the real node if running, ends the
   * bus reader (its connection is disconnected, which breaks a blocking
   * XREAD) and completes templates$.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.clearTimers();
    const term = this.term;
    if (term !== undefined) await this.stepDown(term, true);
    this.closeReader();
    await this.reading;
    // After leaseMs the lease has expired anyway: a Redis that does not answer must not hold stop() up.
    await withTimeout(this.releasing, this.settings.leaseMs, 'lease release').catch(() => undefined);
    await this.transition;
    this.subject.complete();
    this.settings.onStopped();
  }

  /** submits through this instance's real node, whichever instance publishes */
  submitBlock(blockHex: string): Promise<BlockSubmitResult> {
    return this.settings.node.submitBlock(blockHex);
  }

  /**
   * Test hook: simulates a dead process. Timers end, the node's templates are
   * no longer published, the bus reader is disconnected and templates$
   * completes, but the lease is NOT released and the node is left as it is,
   * so other instances take over only when the lease expires.
   */
  crash(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.crashed = true;
    this.clearTimers();
    this.term?.subscription?.unsubscribe();
    this.term = undefined;
    this.closeReader();
    this.subject.complete();
    this.settings.onStopped();
  }

  // ---- lease ----

  private scheduleTick(): void {
    if (this.state !== 'running') return;
    this.leaseTimer = setTimeout(() => {
      this.leaseTimer = undefined;
      void this.tick().finally(() => this.scheduleTick());
    }, this.tickMs);
    // The lease loop must never keep a process alive on its own.
    this.leaseTimer.unref();
  }

  private async tick(): Promise<void> {
    const term = this.term;
    if (this.state !== 'running' || (term === undefined && Date.now() < this.cooldownUntil)) return;
    const askedAt = Date.now();
    let ours: boolean;
    let vanished = false;
    try {
      // A call queued while ioredis reconnects may wait for ever; the role cannot.
      const result = await withTimeout(
        this.leases.take(this.settings.keys.lease, this.settings.instanceId, this.settings.leaseMs),
        this.tickMs,
        'lease call',
      );
      ours = result !== 'held';
      // Taken anew while holding: the key had gone (Redis restarted, or was
      // unreachable past the lease), and the stream may have gone with it.
      vanished = result === 'taken' && term !== undefined;
      if (ours) this.renewedAt = askedAt;
      if (this.leaseFailing) this.logger.info({}, 'bus lease calls succeed again');
      this.leaseFailing = false;
    } catch (error) {
      // Unreachable: the role is kept only while the last renewal still covers it.
      ours = term !== undefined && Date.now() < this.renewedAt + this.settings.leaseMs;
      if (!this.leaseFailing) this.logger.warn({ err: messageOf(error) }, 'bus lease call failed; retrying');
      this.leaseFailing = true;
    }
    if (this.state !== 'running') {
      // stop() ran while we asked and knew nothing of a lease won meanwhile.
      if (ours && term === undefined && !this.crashed) await this.releaseLease();
      return;
    }
    if (vanished && this.term === term && this.current !== undefined) {
      this.logger.warn({}, 'the bus lease had vanished; republishing the current template');
      this.pending ??= this.current;
      void this.drain();
    }
    if (ours && this.term === undefined) this.takeOver();
    else if (!ours && this.term !== undefined) {
      this.logger.warn({}, 'lost the bus lease; stopping the node');
      void this.stepDown(this.term, false);
    }
  }

  private takeOver(): void {
    let node: CoinNode;
    try {
      // A node that was stopped may not start again (BitcoinNode starts once):
      // later terms use a fresh one when the composition root gave a factory.
      node = this.terms === 0 || this.settings.createNode === undefined ? this.settings.node : this.settings.createNode(this.settings.coin);
    } catch (error) {
      this.cooldownUntil = Date.now() + this.settings.leaseMs;
      this.logger.error({ err: messageOf(error) }, 'cannot create a node for a new term as publisher; giving the bus lease up');
      void this.releaseLease();
      return;
    }
    this.terms++;
    const term: Term = { node, started: false };
    this.term = term;
    this.logger.info({ term: this.terms }, 'took the bus lease; starting the node');
    term.subscription = node.templates$.subscribe({
      // Only what the node emits once started in this term: a stopped node's
      // replayed template is old work.
      next: (template) => {
        if (this.term === term && term.started) this.offer(template);
      },
      error: (error: unknown) => {
        if (this.term === term) this.abdicate(term, 'the node template stream failed', error);
      },
      complete: () => {
        if (this.term === term) this.abdicate(term, 'the node template stream completed (a stopped node cannot restart: pass createNode)');
      },
    });
    this.transition = this.transition.then(async () => {
      if (this.term !== term) return;
      term.started = true;
      try {
        await node.start();
      } catch (error) {
        term.failure = error;
        if (this.term === term) this.abdicate(term, 'the node failed to start', error);
      }
    });
  }

  /** The node cannot serve: give the lease up and leave it to others for leaseMs. */
  private abdicate(term: Term, reason: string, error?: unknown): void {
    this.cooldownUntil = Date.now() + this.settings.leaseMs;
    this.logger.error({ err: error === undefined ? undefined : messageOf(error) }, `${reason}; giving the bus lease up`);
    void this.stepDown(term, true);
  }

  /**
   * Ends a term: no more publishing, the node's stop() queued after its
   * start(), and the lease deleted when `release`. Never waits for the
   * transition chain (it may be called from inside it).
   */
  private async stepDown(term: Term, release: boolean): Promise<void> {
    if (this.term !== term) return;
    this.term = undefined;
    term.subscription?.unsubscribe();
    this.clearRefresh();
    this.current = undefined;
    this.pending = undefined;
    this.transition = this.transition.then(async () => {
      if (!term.started) return;
      try {
        await term.node.stop();
      } catch (error) {
        this.logger.warn({ err: messageOf(error) }, 'node stop failed');
      }
    });
    if (release) await this.releaseLease();
  }

  private releaseLease(): Promise<void> {
    this.releasing = this.leases.release(this.settings.keys.lease, this.settings.instanceId).then(
      () => undefined,
      (error: unknown) => this.logger.warn({ err: messageOf(error) }, 'cannot release the bus lease; it expires by itself'),
    );
    return this.releasing;
  }

  // ---- publishing (holder only) ----

  private offer(template: CoinTemplate): void {
    this.current = template;
    // One slot: while a publish is in flight only the newest template waits;
    // the script computes clean against the head, so skipping one loses nothing.
    this.pending = template;
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.publishing) return;
    this.publishing = true;
    this.clearRefresh();
    let failed = false;
    try {
      for (let t = this.pending; t !== undefined && this.term !== undefined; t = this.pending) {
        this.pending = undefined;
        failed = !(await this.publish(t));
      }
    } finally {
      this.publishing = false;
    }
    if (this.term !== undefined && this.current !== undefined) {
      this.scheduleRefresh(failed ? this.tickMs : this.settings.refreshIntervalMs);
    }
  }

  /** @returns false when Redis failed (worth retrying) */
  private async publish(template: CoinTemplate): Promise<boolean> {
    let payload: string;
    try {
      payload = encodeBusTemplate(template);
    } catch (error) {
      this.logger.error({ err: messageOf(error), height: template.height }, 'template not published');
      return true;
    }
    try {
      const seq = await this.publishScript(this.settings.keys, {
        owner: this.settings.instanceId,
        prevHash: template.prevHash,
        height: template.height,
        payload,
        maxLen: this.settings.streamMaxLen,
      });
      if (seq === 0) {
        if (this.term !== undefined) {
          this.logger.warn({}, 'bus refused the publish: another instance holds the lease; stopping the node');
          void this.stepDown(this.term, false);
        }
      } else {
        this.logger.debug({ jobId: seq.toString(16), height: template.height }, 'template published');
      }
      return true;
    } catch (error) {
      this.logger.warn({ err: messageOf(error), height: template.height }, 'template publish failed; retrying');
      return false;
    }
  }

  private scheduleRefresh(delayMs: number): void {
    this.clearRefresh();
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.term === undefined || this.current === undefined) return;
      this.pending ??= this.current;
      void this.drain();
    }, delayMs);
    // The refresh must never keep a process alive on its own.
    this.refreshTimer.unref();
  }

  private clearRefresh(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private clearTimers(): void {
    if (this.leaseTimer !== undefined) clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    this.clearRefresh();
  }

  // ---- consuming (every instance) ----

  private async readLoop(reader: Redis): Promise<void> {
    let failures = 0;
    while (this.state === 'running' && this.reader === reader) {
      try {
        // Raced with closeReader(): disconnect() of a connection that is
        // reconnecting leaves its queued commands unsettled.
        const reply = await this.orClosed(
          reader.call('XREAD', 'COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', this.settings.keys.stream, this.lastId),
        );
        if (reply === CLOSED) return;
        if (failures > 0) this.logger.info({}, 'bus reads succeed again');
        failures = 0;
        for (const [id, fields] of xreadEntries(reply)) this.deliver(id, fields);
      } catch (error) {
        if (this.state !== 'running' || this.reader !== reader) return;
        if (failures === 0) this.logger.warn({ err: messageOf(error) }, 'bus read failed; retrying');
        failures++;
        await this.sleep(Math.min(100 * 2 ** failures, this.settings.leaseMs));
      }
    }
  }

  private deliver(id: string, fields: readonly unknown[]): void {
    this.lastId = id;
    let entry;
    try {
      entry = decodeBusEntry(id, fields);
    } catch (error) {
      this.logger.error({ err: messageOf(error) }, 'bus entry skipped');
      return;
    }
    const { template, seq } = entry;
    const previous = this.lastEmitted;
    // The publisher's flag covers entries this instance saw; its own history
    // covers the ones it missed (joined late, or fell behind the stream cap).
    const clean =
      entry.clean || previous === undefined || previous.prevHash !== template.prevHash || template.height > previous.height;
    this.lastEmitted = { prevHash: template.prevHash, height: template.height };
    this.subject.next({ ...template, jobId: seq.toString(16), clean });
  }

  private closeReader(): void {
    const reader = this.reader;
    this.reader = undefined;
    reader?.disconnect();
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  private orClosed<T>(promise: Promise<T>): Promise<T | typeof CLOSED> {
    return new Promise((resolve, reject) => {
      const wake = (): void => resolve(CLOSED);
      this.wakers.add(wake);
      promise.then(
        (value) => {
          this.wakers.delete(wake);
          resolve(value);
        },
        (error: unknown) => {
          this.wakers.delete(wake);
          reject(error);
        },
      );
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.add(done);
    });
  }
}

/** `promise`, or a rejection naming `what` after `ms`; a late rejection of `promise` is dropped. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
