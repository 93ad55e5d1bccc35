import type { ShareRecord, ShareStore } from '@lode/pool-engine';
import { LodeError, silentLogger, type LodeLogger } from '@lode/stratum-core';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../keys/redis-keys';
import { defineRecordShares, encodeShare, type EncodedShare } from './record-share-script';
import type { RedisShareStoreCounters, RedisShareStoreOptions } from './redis-share-store-options';
import { ShareSpool } from './share-spool';
import { withDeadline } from './with-deadline';

interface InFlight {
  record: ShareRecord;
  encoded: EncodedShare;
  sentAt: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The Redis {@link ShareStore}: every share record is appended to its coin's
 * stream (`<prefix>:{<coin>}:shares`, fields in {@link RedisKeys}) by a Lua
 * script that is idempotent on `record.id`, and `record()` resolves only
 * once Redis confirmed it. Records of one coin given in the same event-loop
 * turn travel in one script call (up to `maxBatch`).
 *
 * No loss when Redis fails (facts/field-notes.md §1.4: NOMP lost payouts
 * when Redis failed):
 *
 * - When the client is not ready, a call errs, or no answer comes within
 *   `commandTimeoutMs`, the record (and every record still in flight, in the
 *   order given) goes to a local append-only spool file, and `record()`
 *   resolves once the line is written. While the spool holds anything, new
 *   records go there too, so the order is kept.
 * - When the client is `ready` again (and every `retryIntervalMs` while the
 *   spool is not empty) the spool is replayed in order through the same
 *   script, then emptied. A pass cut short starts over from the first line,
 *   so records a crashed Redis confirmed but lost are stored again.
 * - A record that reached Redis and the spool both, or a replay started
 *   over, is stored once: the script skips ids it already stored (for
 *   `dedupTtlSeconds`). `start()` replays a spool left by an earlier run.
 * - Order across a Redis crash: by default an ioredis client sends the
 *   commands it held when the connection died (in flight, or queued offline)
 *   as soon as it is back, so a few records may land ahead of the replay
 *   (each still exactly once). A client made with `enableOfflineQueue:
 *   false, autoResendUnfulfilledCommands: false` (and so without
 *   auto-pipelining, see the constructor) keeps the exact order.
 *
 * If Redis and the spool both fail, `record()` rejects with
 * LodeError('store'). A record that cannot be encoded (a numeric field that
 * is not a finite number, a bigint included) rejects at once and is never
 * spooled. Redis losing what it confirmed on the direct path (no
 * persistence, or the last second of an AOF) is beyond this store.
 *
 * @example
 * const redis = new Redis(url, { enableAutoPipelining: true });
 * const store = new RedisShareStore({ redis, keys: new RedisKeys(), spoolFile: '/var/lib/lode/pool-a.spool' });
 * await store.start();
 */
export class RedisShareStore implements ShareStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly spool: ShareSpool;
  private readonly logger: LodeLogger;
  private readonly maxLen: number;
  private readonly ttl: number;
  private readonly timeoutMs: number;
  private readonly retryMs: number;
  private readonly batch: number;
  private readonly maxBatch: number;
  private readonly run: (coin: string, shares: readonly EncodedShare[]) => Promise<number[]>;

  private readonly inFlight = new Map<number, InFlight>();
  /** in-flight records not sent yet, per coin, in the order given (one script call per coin and turn) */
  private readonly queued = new Map<string, number[]>();
  private sendScheduled = false;
  private nextSeq = 0;
  private drained: (() => void)[] = [];
  private state: 'new' | 'running' | 'stopping' | 'stopped' = 'new';
  private degraded = false;
  private replaying: Promise<void> | undefined;
  /** bytes of the spool already confirmed in this replay pass */
  private replayOffset = 0;
  private replayedInPass = 0;
  private lastReplayAt = 0;
  /** counts connection losses, so a replay pass can tell that one happened while it ran */
  private connections = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly stats = { recorded: 0, spooled: 0, replayed: 0, alreadyStored: 0, discarded: 0 };

  private readonly onReady = (): void => {
    if (this.spool.bytes > 0) void this.replay();
  };
  private readonly onClose = (): void => {
    this.connections++;
    // in-flight records may or may not have reached Redis: spool them now (a replay skips those that did)
    if (this.inFlight.size > 0) this.degrade(new LodeError('store', 'redis connection closed with share records in flight'));
  };

  /**
   * @throws LodeError('config') when a numeric option is out of range, or the
   *   client has `enableAutoPipelining` with `autoResendUnfulfilledCommands: false`
   *   (ioredis 6 then never settles a pipeline cut by a disconnect, and every
   *   later auto-pipelined command waits behind it)
   */
  constructor(options: RedisShareStoreOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    this.logger = options.logger ?? silentLogger;
    this.maxLen = positiveInteger('maxLen', options.maxLen ?? 10_000_000);
    this.ttl = positiveInteger('dedupTtlSeconds', options.dedupTtlSeconds ?? 172_800);
    this.timeoutMs = positiveInteger('commandTimeoutMs', options.commandTimeoutMs ?? 2000);
    this.retryMs = positiveInteger('retryIntervalMs', options.retryIntervalMs ?? 1000);
    this.batch = positiveInteger('replayBatch', options.replayBatch ?? 1000);
    this.maxBatch = positiveInteger('maxBatch', options.maxBatch ?? 100);
    if (this.redis.options.enableAutoPipelining === true && this.redis.options.autoResendUnfulfilledCommands === false) {
      // ioredis drops an unsent auto-pipeline on reconnect without settling it, and every later
      // auto-pipelined command then waits behind it forever: the store would spool for good.
      throw new LodeError(
        'config',
        'RedisShareStore needs a client with autoResendUnfulfilledCommands (the default) when enableAutoPipelining is on',
      );
    }
    this.spool = new ShareSpool(options.spoolFile, { fsync: options.fsyncSpool });
    this.run = defineRecordShares(this.redis, this.keys, this.ttl, this.maxLen);
  }

  /** A snapshot of the counters. */
  get counters(): RedisShareStoreCounters {
    return { ...this.stats, spoolDepth: this.spool.records - this.replayedInPass };
  }

  /**
   * Opens the spool, starts watching the client, waits up to
   * `commandTimeoutMs` for it to be ready, and replays what an earlier run
   * left in the spool (if Redis is not there, the replay happens when it is).
   * Resolves after that first replay attempt; replay errors are logged, not
   * thrown.
   *
   * @throws LodeError('store') when the spool file cannot be opened
   */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    const found = this.spool.open();
    if (found.tornBytes > 0) {
      this.logger.warn({ spoolFile: this.spool.path, bytes: found.tornBytes }, 'cut off an unfinished last spool line (its record() never resolved)');
    }
    if (found.records > 0) {
      this.logger.info({ spoolFile: this.spool.path, records: found.records }, 'share spool left by an earlier run: replaying it');
    }
    this.redis.on('ready', this.onReady);
    this.redis.on('close', this.onClose);
    this.timer = setInterval(() => this.tick(), Math.max(10, Math.min(this.retryMs, this.timeoutMs / 4)));
    this.timer.unref();
    this.state = 'running';
    if (this.redis.status !== 'ready') await this.waitReady();
    if (this.spool.bytes > 0 && this.redis.status === 'ready') await this.replay();
  }

  /**
   * Persists one record: resolves once Redis confirmed it, or once it is in
   * the spool when Redis cannot take it.
   *
   * @throws LodeError('store') when the store is not started or stopped, when
   *   a field cannot be encoded, or when Redis and the spool both failed
   * @throws LodeError('config') when the coin id cannot be part of a key
   */
  async record(record: ShareRecord): Promise<void> {
    if (this.state !== 'running') {
      throw new LodeError('store', `share store is ${this.state === 'new' ? 'not started' : 'stopped'}; record ${record.id} was not stored`);
    }
    const encoded = encodeShare(this.keys, record);
    if (this.spool.bytes > 0 || this.redis.status !== 'ready') {
      this.toSpool(record);
      return;
    }
    return new Promise<void>((resolve, reject) => {
      const seq = this.nextSeq++;
      this.inFlight.set(seq, { record, encoded, sentAt: Date.now(), resolve, reject });
      let queue = this.queued.get(record.coin);
      if (queue === undefined) this.queued.set(record.coin, (queue = []));
      queue.push(seq);
      if (queue.length >= this.maxBatch) {
        this.send(record.coin);
      } else if (!this.sendScheduled) {
        // after this turn's I/O callbacks, so the records of all of them travel in one call per coin
        this.sendScheduled = true;
        setImmediate(() => {
          this.sendScheduled = false;
          for (const coin of [...this.queued.keys()]) this.send(coin);
        });
      }
    });
  }

  /**
   * Waits until no record is in flight (each is confirmed or spooled within
   * about `commandTimeoutMs`), then, when the spool is not empty and the
   * client is ready, for one replay attempt.
   */
  async flush(): Promise<void> {
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => this.drained.push(resolve));
    if (this.state !== 'new' && this.state !== 'stopped' && this.spool.bytes > 0 && this.redis.status === 'ready') {
      await this.replay();
    }
  }

  /**
   * Refuses new records, flushes (see {@link flush}), stops watching the
   * client and closes the spool; what is left in it is replayed by the next
   * `start()`. The client itself stays open (it is the caller's).
   */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    await this.flush();
    this.state = 'stopped';
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.redis.off('ready', this.onReady);
    this.redis.off('close', this.onClose);
    await this.replaying;
    this.spool.close();
  }

  /** Sends the coin's queued records in one script call and answers for each when Redis does. */
  private send(coin: string): void {
    const seqs = this.queued.get(coin);
    this.queued.delete(coin);
    if (seqs === undefined || seqs.length === 0) return;
    if (this.redis.status !== 'ready') {
      // lost the connection since these were queued: the client would only hold them back
      this.degrade(new LodeError('store', `redis is ${this.redis.status}`));
      return;
    }
    const shares = seqs.map((seq) => (this.inFlight.get(seq) as InFlight).encoded);
    this.run(coin, shares).then(
      (results) => {
        seqs.forEach((seq, i) => {
          const entry = this.inFlight.get(seq);
          // gone: it was spooled after a timeout or a close, and the spool answered for it
          if (entry === undefined) return;
          this.inFlight.delete(seq);
          this.stats.recorded++;
          if (results[i] === 0) this.stats.alreadyStored++;
          entry.resolve();
        });
        this.checkDrained();
      },
      (cause: unknown) => {
        if (seqs.some((seq) => this.inFlight.has(seq))) this.degrade(cause);
      },
    );
  }

  /** Spools a record behind every record still in flight, keeping the order they were given in. */
  private toSpool(record: ShareRecord): void {
    if (this.inFlight.size > 0) this.degrade(new LodeError('store', 'redis is not ready'));
    this.noteDegraded(undefined);
    this.spool.append(record);
    this.stats.spooled++;
  }

  /** Moves every in-flight record to the spool, oldest first, and answers for them. */
  private degrade(cause: unknown): void {
    this.noteDegraded(cause);
    const entries = [...this.inFlight.values()];
    this.inFlight.clear();
    this.queued.clear();
    for (const entry of entries) {
      try {
        this.spool.append(entry.record);
        this.stats.spooled++;
        entry.resolve();
      } catch (error) {
        this.logger.error({ err: error, id: entry.record.id }, 'share record lost: redis and the spool both failed');
        entry.reject(error);
      }
    }
    this.checkDrained();
  }

  private noteDegraded(cause: unknown): void {
    if (this.degraded) return;
    this.degraded = true;
    this.logger.warn(
      { err: cause, status: this.redis.status, spoolFile: this.spool.path },
      'redis cannot take share records: spooling them to disk until it can',
    );
  }

  private checkDrained(): void {
    if (this.inFlight.size > 0) return;
    for (const resolve of this.drained.splice(0)) resolve();
  }

  private tick(): void {
    const oldest = this.inFlight.values().next();
    if (!oldest.done && Date.now() - oldest.value.sentAt > this.timeoutMs) {
      this.degrade(new LodeError('store', `share record ${oldest.value.record.id}: no answer from redis within ${this.timeoutMs} ms`));
    }
    if (
      this.state === 'running' &&
      this.spool.bytes > 0 &&
      this.replaying === undefined &&
      this.redis.status === 'ready' &&
      Date.now() - this.lastReplayAt >= this.retryMs
    ) {
      void this.replay();
    }
  }

  private waitReady(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, this.timeoutMs);
      this.redis.on('ready', done);
    });
  }

  /** One replay pass at a time; never rejects (errors are logged and retried later). */
  private replay(): Promise<void> {
    if (this.replaying === undefined) {
      this.replaying = this.replayPass().finally(() => {
        this.replaying = undefined;
      });
    }
    return this.replaying;
  }

  private async replayPass(): Promise<void> {
    this.lastReplayAt = Date.now();
    let connection = this.connections;
    try {
      while (this.state !== 'stopped' && this.spool.bytes > 0 && this.redis.status === 'ready') {
        if (connection !== this.connections) {
          // Redis went away during the pass (its client resent what was in flight, so nothing
          // failed): what it confirmed before may be lost with it, so start the pass over.
          connection = this.connections;
          this.restartPass();
        }
        const slice = this.spool.read(this.replayOffset, this.batch);
        if (slice.entries.length === 0) {
          // Spool appends are synchronous, so none can land between this read and the truncation.
          const replayed = this.replayedInPass;
          this.spool.truncate();
          this.replayOffset = 0;
          this.replayedInPass = 0;
          this.degraded = false;
          this.logger.info({ replayed, spoolFile: this.spool.path }, 'share spool replayed into redis and emptied');
          return;
        }
        const runs: Promise<number[]>[] = [];
        let run: EncodedShare[] = [];
        const sendRun = (): void => {
          if (run.length > 0) runs.push(this.run(run[0].coin, run));
          run = [];
        };
        for (const entry of slice.entries) {
          const encoded = entry.record === undefined ? undefined : this.encodeSpooled(entry.record);
          if (encoded === undefined) {
            this.stats.discarded++;
            this.logger.error({ line: entry.bad, spoolFile: this.spool.path }, 'dropped a spool line that is not a storable share record');
            continue;
          }
          // one call per run of records of one coin, in spool order
          if (run.length === this.maxBatch || (run.length > 0 && run[0].coin !== encoded.coin)) sendRun();
          run.push(encoded);
        }
        sendRun();
        const results = (await withDeadline(Promise.all(runs), this.timeoutMs, `replaying ${slice.entries.length} spooled share records`)).flat();
        this.stats.replayed += results.length;
        for (const added of results) if (added === 0) this.stats.alreadyStored++;
        this.replayOffset = slice.next;
        this.replayedInPass += slice.entries.length;
        this.lastReplayAt = Date.now();
      }
      if (this.spool.bytes > 0) this.restartPass();
    } catch (error) {
      this.lastReplayAt = Date.now();
      this.logger.warn({ err: error, left: this.counters.spoolDepth }, 'share spool replay interrupted; it will start over');
      this.restartPass();
    }
  }

  /**
   * The next pass starts from the first line again: a Redis that died may have lost what it
   * confirmed (no persistence, or the last second of an AOF), and ids it kept are skipped anyway.
   */
  private restartPass(): void {
    this.replayOffset = 0;
    this.replayedInPass = 0;
  }

  private encodeSpooled(record: ShareRecord): EncodedShare | undefined {
    try {
      return encodeShare(this.keys, record);
    } catch {
      return undefined;
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new LodeError('config', `RedisShareStore option ${name} must be an integer >= 1, got ${value}`);
  }
  return value;
}
