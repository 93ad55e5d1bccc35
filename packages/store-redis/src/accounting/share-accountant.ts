import type Redis from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import { pplnsSplit, propSplit, soloSplit, type RewardShare, type RewardSplit } from '@lode/pool-engine';
import { LodeError, silentLogger, type LodeLogger } from '@lode/stratum-core';
import type { AccountingEvent } from './accounting-event';
import { accountingKeys, type AccountingKeys } from './accounting-keys';
import type { AccountingScheme } from './accounting-scheme';
import type { AccountingStats } from './accounting-stats';
import { APPLY_SHARE_SCRIPT } from './apply-share-script';
import { bitcoinBlockReward } from './bitcoin-block-reward';
import type { BlockAccount } from './block-account';
import { FINISH_BLOCK_SCRIPT } from './finish-block-script';
import { parseBlockRecord } from './parse-block-record';
import { parseStreamShare } from './parse-stream-share';
import { LuaScript } from './run-script';
import type { ShareAccountantOptions } from './share-accountant-options';
import { entriesOfClaimReply, entriesOfReadReply, type StreamEntry } from './stream-entries';
import type { StreamShare } from './stream-share';
import type { WorkerAccount } from './worker-account';

const APPLY = new LuaScript(APPLY_SHARE_SCRIPT);
const FINISH = new LuaScript(FINISH_BLOCK_SCRIPT);
const WINDOW_CHUNK = 10_000;

/**
 * Accounting over the share stream: per-worker and pool hashrate windows,
 * accepted / rejected counts, round totals, blocks with their finder, and the
 * split of each block's reward by PPLNS, PROP or SOLO (pool-engine's
 * pplnsSplit / propSplit / soloSplit). Payouts are not made here.
 *
 * It reads each coin's stream `<prefix>:{<coin>}:shares` (RedisShareStore's)
 * as consumer `consumer` of group `group` (created with MKSTREAM at the start
 * of the stream when missing). All state lives in Redis (keys in
 * {@link AccountingKeys}), so an accountant can run anywhere and restart:
 * - each entry is applied by one Lua script that also XACKs it, so an entry
 *   is counted and acked together or not at all; a restart first re-reads
 *   its own pending entries (XREADGROUP id 0), then new ones ('>');
 * - a share id already applied within `dedupeSeconds` is not counted again
 *   (a producer that wrote the same share twice);
 * - a block entry is acked only after its split is stored; a restart
 *   completes a block recorded but not yet split;
 * - entries left pending by another consumer for `claimIdleMs` are taken
 *   over (XAUTOCLAIM), so several accountants in one group share the work
 *   and cover for each other. For PPLNS in exact stream order, run one
 *   consumer per coin and others as standbys: consumers in parallel apply
 *   shares in the order they process them.
 *
 * Hashrate = credited difficulty in the window * hashesPerDifficulty /
 * window seconds (buckets of `bucketSeconds`, each key expiring when it
 * leaves the window).
 *
 * @example
 * const acct = new ShareAccountant({ redis, coins: ['btc'], consumer: 'acct-1', scheme: { kind: 'pplns', windowDifficulty: 2e6 } });
 * await acct.start();
 * const stats = await acct.stats('btc');
 */
export class ShareAccountant {
  /** coin ids accounted */
  readonly coins: readonly string[];
  /** expected hashes per share of difficulty 1 */
  readonly hashesPerDifficulty: number;
  /** every entry done (applied, repeated or skipped) and every block split; completes on stop() */
  readonly events$: Observable<AccountingEvent>;

  private readonly redis: Redis;
  private readonly group: string;
  private readonly consumer: string;
  private readonly scheme: AccountingScheme;
  private readonly blockReward: (coin: string, height: number) => bigint;
  private readonly bucketMs: number;
  private readonly buckets: number;
  private readonly dedupeMs: number;
  private readonly maxWorkers: number;
  private readonly maxBlocks: number;
  private readonly maxWindowShares: number;
  private readonly batchSize: number;
  private readonly blockMs: number;
  private readonly claimIdleMs: number;
  private readonly retryMs: number;
  private readonly clock: () => number;
  private readonly logger: LodeLogger;
  private readonly keys = new Map<string, AccountingKeys>();
  private readonly events = new Subject<AccountingEvent>();
  private readonly readers: Redis[] = [];
  private readonly loops: Promise<void>[] = [];
  private readonly sleepers = new Set<() => void>();
  private state: 'idle' | 'running' | 'stopped' = 'idle';
  private stopping?: Promise<void>;

  /**
   * @throws LodeError('config') when an option is out of range: no coins or
   *   a repeated one, an empty consumer, a PPLNS window that is not a finite
   *   difficulty > 0, a window, bucket or limit that is not positive
   */
  constructor(options: ShareAccountantOptions) {
    const coins = [...options.coins];
    if (coins.length === 0) throw new LodeError('config', 'accounting needs at least one coin; coins is empty');
    for (const coin of coins) {
      if (!/^[^{}\s]+$/.test(coin)) throw new LodeError('config', `coin id '${coin}' is not usable in a key hash tag (non-empty, no braces or spaces)`);
    }
    if (new Set(coins).size !== coins.length) throw new LodeError('config', `coins [${coins.join(', ')}] name a coin twice`);
    if (options.consumer === '') throw new LodeError('config', 'consumer is empty; each accountant needs its own name in the group');
    if (options.scheme.kind === 'pplns') {
      const n = options.scheme.windowDifficulty;
      if (!Number.isFinite(n) || n <= 0) throw new LodeError('config', `PPLNS windowDifficulty is ${n}; it must be a finite difficulty > 0`);
    }
    const positive = (name: string, value: number, integer: boolean): number => {
      if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
        throw new LodeError('config', `${name} is ${value}; it must be a ${integer ? 'whole number' : 'number'} > 0`);
      }
      return value;
    };
    const windowSeconds = positive('windowSeconds', options.windowSeconds ?? 600, false);
    const bucketSeconds = positive('bucketSeconds', options.bucketSeconds ?? 10, false);
    this.coins = coins;
    this.redis = options.redis;
    this.group = options.group ?? 'accounting';
    this.consumer = options.consumer;
    this.scheme = options.scheme;
    this.blockReward = options.blockReward ?? bitcoinBlockReward;
    this.bucketMs = bucketSeconds * 1000;
    this.buckets = Math.ceil(windowSeconds / bucketSeconds);
    this.hashesPerDifficulty = positive('hashesPerDifficulty', options.hashesPerDifficulty ?? 2 ** 48 / 65535, false);
    this.dedupeMs = positive('dedupeSeconds', options.dedupeSeconds ?? 86_400, false) * 1000;
    this.maxWorkers = positive('maxWorkers', options.maxWorkers ?? 100_000, true);
    this.maxBlocks = positive('maxBlocks', options.maxBlocks ?? 10_000, true);
    this.maxWindowShares = positive('maxWindowShares', options.maxWindowShares ?? 1_000_000, true);
    this.batchSize = positive('batchSize', options.batchSize ?? 100, true);
    this.blockMs = positive('blockMs', options.blockMs ?? 5000, true);
    this.claimIdleMs = options.claimIdleMs ?? 60_000;
    if (!Number.isInteger(this.claimIdleMs) || this.claimIdleMs < 0) throw new LodeError('config', `claimIdleMs is ${this.claimIdleMs}; it must be a whole number >= 0`);
    this.retryMs = positive('retryMs', options.retryMs ?? 1000, false);
    this.clock = options.clock ?? Date.now;
    this.logger = (options.logger ?? silentLogger).child({ component: 'share-accountant', consumer: this.consumer });
    for (const coin of coins) this.keys.set(coin, accountingKeys(options.prefix ?? 'lode', coin));
    this.events$ = this.events.asObservable();
  }

  /** length of the hashrate window in seconds (windowSeconds rounded up to whole buckets) */
  get windowSeconds(): number {
    return (this.buckets * this.bucketMs) / 1000;
  }

  /**
   * Creates the consumer groups that are missing, then reads every coin's
   * stream until stop(): own pending entries first, then new ones.
   *
   * @throws LodeError('store') when Redis refuses the group creation;
   *   LodeError('config') when started twice
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new LodeError('config', `share accountant '${this.consumer}' was already started`);
    this.state = 'running';
    try {
      for (const coin of this.coins) await this.ensureGroup(coin);
    } catch (e) {
      if (this.state === 'running') this.state = 'idle';
      throw new LodeError('store', `cannot create consumer group '${this.group}' on the share streams: ${(e as Error).message}`, { cause: e });
    }
    // stop() may have come while the groups were being created: start no reader it would not close.
    if (this.state !== 'running') return;
    for (const coin of this.coins) {
      const reader = this.redis.duplicate();
      reader.on('error', (e: Error) => this.logger.debug({ coin, err: e.message }, 'stream reader connection error'));
      this.readers.push(reader);
      this.loops.push(this.readLoop(coin, reader));
    }
    this.logger.info({ coins: this.coins, group: this.group, scheme: this.scheme.kind }, 'accounting started');
  }

  /** Stops reading after the entry in progress, closes the readers and completes events$. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = 'stopped';
      for (const wake of this.sleepers) wake();
      // Disconnecting ends a blocked XREADGROUP at once instead of after blockMs.
      for (const reader of this.readers) reader.disconnect();
      await Promise.all(this.loops);
      this.events.complete();
      this.logger.info({}, 'accounting stopped');
    })();
    return this.stopping;
  }

  /**
   * Pool and per-worker figures of `coin` at the clock's time.
   *
   * @throws LodeError('config') for a coin not accounted here;
   *   LodeError('store') when Redis fails
   */
  async stats(coin: string): Promise<AccountingStats> {
    const keys = this.keysOf(coin);
    const time = this.clock();
    const indexes = this.windowIndexes(time);
    const p = this.redis.pipeline();
    p.hgetall(keys.pool);
    p.hgetall(keys.round);
    p.zrevrange(keys.workers, 0, -1, 'WITHSCORES');
    p.hgetall(keys.workerAccepted);
    p.hgetall(keys.workerDifficulty);
    p.hgetall(keys.workerRejected);
    p.mget(...indexes.map((i) => keys.poolBucket(i)));
    for (const i of indexes) p.hgetall(keys.workerBucket(i));
    const [poolHash, roundHash, workerList, accepted, difficulty, rejectedHash, poolBuckets, ...workerBuckets] = await this.exec(p, `stats of ${coin}`);
    const pool = stringMap(poolHash);
    const round = stringMap(roundHash);
    const acceptedBy = stringMap(accepted);
    const difficultyBy = stringMap(difficulty);
    const windowBy = new Map<string, number>();
    for (const bucket of workerBuckets) {
      for (const [worker, d] of stringMap(bucket)) windowBy.set(worker, (windowBy.get(worker) ?? 0) + Number(d));
    }
    const rejectedBy = new Map<string, [string, number][]>();
    for (const [field, count] of stringMap(rejectedHash)) {
      // fields are "<reason>\n<worker>"; reasons never hold a newline, worker names may
      const cut = field.indexOf('\n');
      const worker = field.slice(cut + 1);
      rejectedBy.set(worker, [...(rejectedBy.get(worker) ?? []), [field.slice(0, cut), Number(count)]]);
    }
    const poolWindow = (poolBuckets as (string | null)[]).reduce((sum, v) => sum + (v === null ? 0 : Number(v)), 0);
    const list = workerList as string[];
    const workers: WorkerAccount[] = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      const worker = list[i];
      const rejected = Object.fromEntries(rejectedBy.get(worker) ?? []);
      workers.push({
        worker,
        hashrate: this.hashrate(windowBy.get(worker) ?? 0),
        accepted: Number(acceptedBy.get(worker) ?? 0),
        creditedDifficulty: Number(difficultyBy.get(worker) ?? 0),
        rejected,
        rejectedTotal: Object.values(rejected).reduce((a, b) => a + b, 0),
        lastShare: Number(list[i + 1]),
        roundDifficulty: Number(round.get(worker) ?? 0),
      });
    }
    const rejected = Object.fromEntries(
      [...pool].filter(([field]) => field.startsWith('rejected:')).map(([field, count]) => [field.slice('rejected:'.length), Number(count)]),
    );
    const blocks = Number(pool.get('blocks') ?? 0);
    return {
      coin,
      time,
      windowSeconds: this.windowSeconds,
      pool: {
        hashrate: this.hashrate(poolWindow),
        accepted: Number(pool.get('accepted') ?? 0),
        creditedDifficulty: Number(pool.get('difficulty') ?? 0),
        rejected,
        rejectedTotal: Number(pool.get('rejected') ?? 0),
        lastShare: pool.has('lastShare') ? Number(pool.get('lastShare')) : null,
        blocks,
        round: Object.fromEntries([...round].map(([w, d]) => [w, Number(d)])),
        roundNumber: blocks + 1,
        roundDifficulty: Number(pool.get('roundDifficulty') ?? 0),
        roundStartedAt: pool.has('roundStart') ? Number(pool.get('roundStart')) : null,
      },
      workers,
    };
  }

  /**
   * One worker's figures, undefined when it has no share on `coin` (or was
   * dropped as the least recently active beyond maxWorkers).
   *
   * @throws LodeError('config') for a coin not accounted here;
   *   LodeError('store') when Redis fails
   */
  async worker(coin: string, name: string): Promise<WorkerAccount | undefined> {
    const keys = this.keysOf(coin);
    const indexes = this.windowIndexes(this.clock());
    const p = this.redis.pipeline();
    p.zscore(keys.workers, name);
    p.hget(keys.workerAccepted, name);
    p.hget(keys.workerDifficulty, name);
    p.hget(keys.round, name);
    p.smembers(keys.reasons);
    for (const i of indexes) p.hget(keys.workerBucket(i), name);
    const [last, accepted, difficulty, roundDifficulty, reasons, ...buckets] = await this.exec(p, `worker ${name} of ${coin}`);
    if (last === null || last === undefined) return undefined;
    const reasonList = reasons as string[];
    const counts = reasonList.length === 0 ? [] : ((await this.exec(this.redis.pipeline().hmget(keys.workerRejected, ...reasonList.map((r) => `${r}\n${name}`)), `worker ${name} of ${coin}`))[0] as (string | null)[]);
    const rejected = Object.fromEntries(reasonList.map((r, i): [string, number] => [r, Number(counts[i] ?? 0)]).filter(([, n]) => n !== 0));
    return {
      worker: name,
      hashrate: this.hashrate((buckets as (string | null)[]).reduce((sum, v) => sum + (v === null ? 0 : Number(v)), 0)),
      accepted: Number(accepted ?? 0),
      creditedDifficulty: Number(difficulty ?? 0),
      rejected,
      rejectedTotal: Object.values(rejected).reduce((a, b) => a + b, 0),
      lastShare: Number(last),
      roundDifficulty: Number(roundDifficulty ?? 0),
    };
  }

  /**
   * The last `limit` blocks of `coin`, newest first.
   *
   * @param limit whole number >= 1 (default 20)
   * @throws LodeError('config') for a coin not accounted here or a bad
   *   limit; LodeError('store') when Redis fails
   */
  async blocks(coin: string, limit = 20): Promise<BlockAccount[]> {
    const keys = this.keysOf(coin);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new LodeError('config', `blocks limit is ${limit}; it must be a whole number >= 1`);
    const [ids] = await this.exec(this.redis.pipeline().lrange(keys.blockList, 0, limit - 1), `blocks of ${coin}`);
    const list = ids as string[];
    if (list.length === 0) return [];
    const [texts] = await this.exec(this.redis.pipeline().hmget(keys.blocks, ...list), `blocks of ${coin}`);
    return (texts as (string | null)[]).flatMap((t) => {
      const block = t === null ? undefined : parseBlockRecord(t);
      return block === undefined ? [] : [block];
    });
  }

  private keysOf(coin: string): AccountingKeys {
    const keys = this.keys.get(coin);
    if (keys === undefined) throw new LodeError('config', `coin '${coin}' is not accounted here (coins: ${this.coins.join(', ')})`);
    return keys;
  }

  private hashrate(difficulty: number): number {
    return (difficulty * this.hashesPerDifficulty) / this.windowSeconds;
  }

  /** bucket indexes of the window that ends at `time`, oldest first */
  private windowIndexes(time: number): number[] {
    const newest = Math.floor(time / this.bucketMs);
    return Array.from({ length: this.buckets }, (_, i) => newest - this.buckets + 1 + i);
  }

  private async exec(p: ReturnType<Redis['pipeline']>, what: string): Promise<unknown[]> {
    let results: [Error | null, unknown][] | null;
    try {
      results = await p.exec();
    } catch (e) {
      throw new LodeError('store', `reading ${what} from Redis failed: ${(e as Error).message}`, { cause: e });
    }
    if (results === null) throw new LodeError('store', `reading ${what} from Redis failed: the pipeline was discarded`);
    return results.map(([err, value]) => {
      if (err) throw new LodeError('store', `reading ${what} from Redis failed: ${err.message}`, { cause: err });
      return value;
    });
  }

  private async ensureGroup(coin: string): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keysOf(coin).stream, this.group, '0', 'MKSTREAM');
    } catch (e) {
      if (!(e instanceof Error) || !e.message.startsWith('BUSYGROUP')) throw e;
    }
  }

  private async readLoop(coin: string, reader: Redis): Promise<void> {
    const keys = this.keysOf(coin);
    // '0' re-reads this consumer's own pending entries (left by a crash or a failed write) before new ones.
    let cursor = '0';
    let claimCursor = '0-0';
    let nextClaim = 0;
    while (this.state === 'running') {
      try {
        const now = Date.now();
        if (now >= nextClaim) {
          const claimed = entriesOfClaimReply(
            await reader.call('XAUTOCLAIM', keys.stream, this.group, this.consumer, this.claimIdleMs, claimCursor, 'COUNT', this.batchSize),
          );
          await this.processAll(coin, keys, claimed.entries);
          claimCursor = claimed.cursor;
          // A scan that went round the whole pending list waits for the next interval.
          if (claimCursor === '0-0') nextClaim = now + Math.max(1000, this.claimIdleMs);
          continue;
        }
        const block = cursor === '>' ? ['BLOCK', this.blockMs] : [];
        const reply = await reader.call('XREADGROUP', 'GROUP', this.group, this.consumer, 'COUNT', this.batchSize, ...block, 'STREAMS', keys.stream, cursor);
        const entries = entriesOfReadReply(reply);
        if (cursor !== '>') {
          if (entries.length === 0) {
            cursor = '>';
            continue;
          }
          cursor = entries[entries.length - 1].id;
        }
        await this.processAll(coin, keys, entries);
      } catch (e) {
        if (this.state !== 'running') break;
        const message = (e as Error).message ?? String(e);
        this.logger.warn({ coin, err: message }, 'accounting read or write failed; retrying');
        if (message.startsWith('NOGROUP')) await this.ensureGroup(coin).catch(() => undefined);
        cursor = '0';
        await this.sleep(this.retryMs);
      }
    }
  }

  private async processAll(coin: string, keys: AccountingKeys, entries: readonly StreamEntry[]): Promise<void> {
    for (const entry of entries) {
      if (this.state !== 'running') return;
      await this.process(coin, keys, entry);
    }
  }

  private async process(coin: string, keys: AccountingKeys, entry: StreamEntry): Promise<void> {
    const share = entry.fields === null ? 'the entry was deleted from the stream' : parseStreamShare(entry.id, entry.fields);
    if (typeof share === 'string') {
      this.logger.warn({ coin, entryId: entry.id, reason: share }, 'share entry skipped');
      await this.redis.xack(keys.stream, this.group, entry.id);
      this.events.next({ kind: 'skipped', coin, entryId: entry.id, reason: share, consumer: this.consumer });
      return;
    }
    const isBlock = share.blockHash !== undefined;
    const reward = isBlock ? this.rewardOf(coin, share.height) : 0n;
    const bucket = Math.floor(share.time / this.bucketMs);
    const windowDifficulty = this.scheme.kind === 'pplns' ? this.scheme.windowDifficulty : 0;
    const result = await APPLY.run(
      this.redis,
      [
        keys.stream,
        keys.applied,
        keys.pool,
        keys.workers,
        keys.workerAccepted,
        keys.workerDifficulty,
        keys.workerRejected,
        keys.reasons,
        keys.round,
        keys.window,
        keys.workerBucket(bucket),
        keys.poolBucket(bucket),
        keys.blocks,
        keys.blockList,
        keys.blockRound(share.id),
        keys.blockWindow(share.id),
      ],
      [
        entry.id,
        this.group,
        share.id,
        share.worker,
        share.verdict,
        String(share.difficulty),
        String(share.time),
        String((bucket + this.buckets + 1) * this.bucketMs),
        String(this.dedupeMs),
        String(this.maxWorkers),
        String(windowDifficulty),
        String(this.maxWindowShares),
        isBlock ? '1' : '0',
        String(share.height),
        share.blockHash ?? '',
        reward.toString(),
        String(this.maxBlocks),
        this.scheme.kind,
      ],
    );
    if (isBlock) await this.finishBlock(coin, keys, share);
    this.events.next({ kind: 'share', coin, entryId: entry.id, shareId: share.id, applied: result === 1, consumer: this.consumer });
  }

  private rewardOf(coin: string, height: number): bigint {
    const reward = this.blockReward(coin, height);
    if (typeof reward !== 'bigint' || reward < 0n) {
      throw new LodeError('config', `blockReward(${coin}, ${height}) returned ${String(reward)}; it must be a bigint >= 0 (smallest units)`);
    }
    return reward;
  }

  /** splits a recorded block's reward, stores it and acks the entry (or only acks, when that was done before) */
  private async finishBlock(coin: string, keys: AccountingKeys, share: StreamShare): Promise<void> {
    const text = await this.redis.hget(keys.blocks, share.id);
    const block = text === null ? undefined : parseBlockRecord(text);
    if (block === undefined || block.status !== 'pending') {
      await this.redis.xack(keys.stream, this.group, share.entryId);
      return;
    }
    const roundHash = await this.redis.hgetall(keys.blockRound(share.id));
    // Sorted so that the stored round (and any tie in the split) never depends on hash order.
    const round: RewardShare[] = Object.entries(roundHash)
      .map(([worker, d]) => ({ worker, difficulty: Number(d) }))
      .sort((a, b) => (a.worker < b.worker ? -1 : a.worker > b.worker ? 1 : 0));
    const reward = BigInt(block.reward);
    let split: RewardSplit | undefined;
    let note: string | undefined;
    try {
      if (block.scheme === 'solo') split = soloSplit(block.finder, reward);
      else if (block.scheme === 'prop') split = propSplit(round, reward);
      else {
        const n = block.windowDifficulty ?? (this.scheme.kind === 'pplns' ? this.scheme.windowDifficulty : 0);
        split = pplnsSplit(await this.readWindow(keys.blockWindow(share.id)), reward, n);
      }
    } catch (e) {
      if (!LodeError.is(e)) throw e;
      // Only a block credited at difficulty 0 leaves nothing to split over: its finder keeps it.
      note = `${block.scheme} split impossible (${e.message})`;
      try {
        split = soloSplit(block.finder, reward);
        note += '; SOLO to the finder instead';
      } catch (solo) {
        if (!LodeError.is(solo)) throw solo;
        note += `; ${solo.message}`;
      }
    }
    const done: BlockAccount = {
      ...block,
      round: Object.fromEntries(round.map((s) => [s.worker, s.difficulty])),
      split: Object.fromEntries([...(split ?? new Map<string, bigint>())].map(([w, amount]) => [w, amount.toString()])),
      status: split === undefined ? 'unsplit' : 'split',
      ...(note === undefined ? {} : { note }),
    };
    await FINISH.run(this.redis, [keys.stream, keys.blocks, keys.blockRound(share.id), keys.blockWindow(share.id)], [share.entryId, this.group, share.id, JSON.stringify(done)]);
    this.logger.info({ coin, height: done.height, hash: done.hash, finder: done.finder, reward: done.reward, scheme: done.scheme, split: done.split, note }, 'block reward split');
    this.events.next({ kind: 'block', coin, block: done, consumer: this.consumer });
  }

  /** the PPLNS window snapshot, oldest share first (the list holds newest first) */
  private async readWindow(key: string): Promise<RewardShare[]> {
    const newestFirst: RewardShare[] = [];
    for (let start = 0; ; start += WINDOW_CHUNK) {
      const chunk = await this.redis.lrange(key, start, start + WINDOW_CHUNK - 1);
      for (const item of chunk) {
        const cut = item.indexOf('\n');
        newestFirst.push({ worker: item.slice(cut + 1), difficulty: Number(item.slice(0, cut)) });
      }
      if (chunk.length < WINDOW_CHUNK) break;
    }
    return newestFirst.reverse();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

/** an HGETALL result as a Map (ioredis gives an object; a missing key gives {}) */
function stringMap(value: unknown): Map<string, string> {
  if (typeof value !== 'object' || value === null) return new Map();
  return new Map(Object.entries(value as Record<string, string>));
}
