import { difficultyFromTarget } from '@lode/mining';
import type { CoinPlugin } from '@lode/plugin-api';
import { MemorySessionStore, PoolEngine } from '@lode/pool-engine';
import type { CreateSessionOptions, EngineMetrics, MinerSession, PoolEngineOptions, ShareStore } from '@lode/pool-engine';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { ProxyCoinPlugin } from './proxy-coin-plugin';
import { suffixBytes } from './subdivision';
import type { UpstreamLink } from './upstream-link';
import { UpstreamNode, type ForwardObserver } from './upstream-node';

/** Longest extranonce1 the engine's allocator hands out, bytes. */
const MAX_EXTRANONCE1_BYTES = 8;
/** Worker names remembered per subscription for passthrough credentials. */
const MAX_PASSTHROUGH_WORKERS = 4096;

/** The proxy keeps no share log: verdicts are counted in the stats, forwarded shares upstream. */
const noShareLog: ShareStore = { record: async () => undefined };

/** What a {@link Subscription} is built from. */
export interface SubscriptionOptions {
  /** the connected, subscribed and authorized link */
  link: UpstreamLink;
  /** the coin's own plugin (found by discovery) */
  plugin: CoinPlugin;
  /** the name of the upstream (group) it belongs to */
  group: string;
  /** `passthrough`: each worker is authorized upstream and its shares forwarded under its name */
  credentials: 'proxy' | 'passthrough';
  logger?: LodeLogger;
  /** engine tuning (historySize, maintenanceIntervalMs, statsWindowSeconds, duplicatesPerHeight) */
  engineOptions?: Pick<PoolEngineOptions, 'historySize' | 'maintenanceIntervalMs' | 'statsWindowSeconds' | 'duplicatesPerHeight'>;
  /** clock, ms since epoch (default Date.now) */
  clock?: () => number;
  /** a number distinguishing the subscriptions of one group in logs and ids */
  sequence?: number;
  /** what the subscription's engine and node report to (metrics) */
  metrics?: UpstreamMetrics;
}

/** The observers of an upstream's subscriptions (ProxyMetrics.upstreamMetrics makes them). */
export interface UpstreamMetrics {
  /** the engine of each subscription: downstream sessions, the proxy's share verdicts, vardiff, fan-out */
  engine?: EngineMetrics;
  /** the node of each subscription: every forwarded share's upstream verdict and round trip */
  forward?: ForwardObserver;
}

/**
 * One upstream subscription and everything downstream of it: the
 * {@link UpstreamLink}, a {@link ProxyCoinPlugin} and an {@link UpstreamNode}
 * bound to the link's extranonce1, and a real PoolEngine (vardiff, per-job
 * ledger and targets, duplicates, validation with the coin's hasher, stats)
 * whose every miner's extranonce1 is the upstream extranonce1 followed by a
 * {@link suffixBytes}-byte suffix (engine `instancePrefix`). The engine's
 * allocator throws LodeError('protocol', '... exhausted') once every suffix
 * is in use; {@link full} says so before.
 *
 * Engine settings: `acceptStaleHeights: 0`, `resumeWindowSeconds: 0` (a
 * miner that leaves frees its suffix at once: with a 0-byte suffix the
 * subscription has room for one miner), candidate wording "upstream share"
 * judged by "upstream", no share log.
 *
 * A subscription whose link moved to another extranonce1 is "retired"
 * (see {@link retire}): it takes no more miners and no more jobs, and its
 * miners are moved to a fresh subscription on the same link.
 */
export class Subscription {
  /** "<group>#<sequence>" */
  readonly id: string;
  readonly group: string;
  readonly link: UpstreamLink;
  readonly plugin: ProxyCoinPlugin;
  readonly node: UpstreamNode;
  readonly engine: PoolEngine;
  /** the upstream extranonce1 this subscription serves (a copy) */
  readonly extranonce1: Buffer;
  /** the upstream extranonce2 size, bytes */
  readonly extranonce2Size: number;
  /** bytes of per-miner suffix */
  readonly suffixBytes: number;
  /** miners this subscription can hold at once: 256^suffixBytes */
  readonly capacity: number;
  readonly credentials: 'proxy' | 'passthrough';

  private readonly logger: LodeLogger;
  private readonly clock: () => number;
  /** extranonce1 hex -> the worker its shares are forwarded for (passthrough) */
  private readonly submitters = new Map<string, string>();
  /** worker name -> the link's answer to its authorize (passthrough) */
  private readonly upstreamWorkers = new Map<string, Promise<boolean>>();
  private retiredFlag = false;
  private stopping: Promise<void> | undefined;
  private emptySince: number | undefined;
  private linkClosed = false;

  /**
   * @throws LodeError('config') when the upstream extranonce1 is empty with
   *   no suffix, or longer than 8 bytes
   */
  constructor(options: SubscriptionOptions) {
    const { link, plugin } = options;
    this.link = link;
    this.group = options.group;
    this.credentials = options.credentials;
    this.id = `${options.group}#${options.sequence ?? 1}`;
    this.clock = options.clock ?? Date.now;
    this.logger = (options.logger ?? silentLogger).child({ upstream: options.group, subscription: this.id });
    // closed$ replays and completes: this subscription ends with the link.
    link.closed$.subscribe(() => {
      this.linkClosed = true;
    });
    this.extranonce1 = Buffer.from(link.extranonce1);
    this.extranonce2Size = link.extranonce2Size;
    if (this.extranonce1.length > MAX_EXTRANONCE1_BYTES) {
      throw new LodeError(
        'config',
        `upstream ${link.name} gave a ${this.extranonce1.length}-byte extranonce1; the proxy can extend at most ${MAX_EXTRANONCE1_BYTES} bytes`,
      );
    }
    // The allocator's values are at most 8 bytes, upstream prefix included.
    const suffix = Math.min(suffixBytes(link.extranonce2Size, link.dialect), MAX_EXTRANONCE1_BYTES - this.extranonce1.length);
    if (this.extranonce1.length + suffix === 0) {
      throw new LodeError('config', `upstream ${link.name} gave an empty extranonce1 and ${link.extranonce2Size} bytes of extranonce2: nothing to subdivide`);
    }
    this.suffixBytes = suffix;
    this.capacity = 256 ** suffix;
    this.plugin = new ProxyCoinPlugin({
      real: plugin,
      dialect: link.dialect,
      upstreamExtranonce1: this.extranonce1,
      upstreamExtranonce2Size: link.extranonce2Size,
      suffixBytes: suffix,
      upstreamVersionMask: () => link.versionMask,
      ...(options.credentials === 'passthrough' ? { workerOf: (en1: Buffer) => this.submitters.get(en1.toString('hex')) } : {}),
      now: this.clock,
    });
    this.node = new UpstreamNode(link, this.logger, options.metrics?.forward);
    this.engine = new PoolEngine({
      plugin: this.plugin,
      node: this.node,
      coinConfig: {},
      shareStore: noShareLog,
      sessionStore: new MemorySessionStore(),
      logger: this.logger,
      clock: this.clock,
      ...(options.metrics?.engine === undefined ? {} : { metrics: options.metrics.engine }),
      options: {
        ...options.engineOptions,
        instancePrefix: this.extranonce1,
        acceptStaleHeights: 0,
        resumeWindowSeconds: 0,
        candidateWording: { noun: 'upstream share', judge: 'upstream' },
      },
    });
  }

  /** live miner sessions */
  get sessionCount(): number {
    return this.engine.sessionCount;
  }

  /** true when a new miner would find no free suffix */
  get full(): boolean {
    return this.engine.sessionCount >= this.capacity;
  }

  /** true while the link is open, the subscription not retired and not stopping */
  get alive(): boolean {
    return !this.retiredFlag && this.stopping === undefined && !this.linkClosed;
  }

  /** true once retire() or stop() was called */
  get retired(): boolean {
    return this.retiredFlag || this.stopping !== undefined;
  }

  /** the upstream difficulty of the newest job, undefined before the first */
  get difficulty(): number | undefined {
    const job = this.node.latestJob;
    return job === undefined ? undefined : difficultyFromTarget(job.target, this.plugin.diff1Target);
  }

  /** ms since epoch since which no miner is on this subscription, undefined while some are */
  get idleSince(): number | undefined {
    if (this.engine.sessionCount > 0) {
      this.emptySince = undefined;
      return undefined;
    }
    this.emptySince ??= this.clock();
    return this.emptySince;
  }

  /**
   * Starts the engine (its JobManager takes the link's latest job at once).
   *
   * @throws whatever PoolEngine.start throws
   */
  async start(): Promise<void> {
    await this.engine.start();
    this.logger.info(
      {
        extranonce1: this.extranonce1.toString('hex'),
        extranonce2Size: this.extranonce2Size,
        suffixBytes: this.suffixBytes,
        capacity: this.capacity,
        versionMask: this.link.versionMask === undefined ? undefined : this.link.versionMask.toString(16).padStart(8, '0'),
      },
      'upstream subscription ready',
    );
  }

  /**
   * A new miner session on this subscription's engine.
   *
   * @throws LodeError('connection') once the subscription is retired or stopping
   */
  createSession(options: CreateSessionOptions): MinerSession {
    if (!this.alive) throw new LodeError('connection', `upstream subscription ${this.id} takes no new miners`);
    this.emptySince = undefined;
    return this.engine.createSession(options);
  }

  /**
   * Makes `workerName` known upstream (credentials passthrough: the link's
   * authorizeWorker, asked once per name; proxy: nothing to ask).
   *
   * @returns false when the upstream refused it or cannot authorize workers
   */
  authorizeWorker(workerName: string, password: string): Promise<boolean> {
    if (this.credentials === 'proxy') return Promise.resolve(true);
    const authorize = this.link.authorizeWorker;
    if (authorize === undefined) return Promise.resolve(false);
    let answer = this.upstreamWorkers.get(workerName);
    if (answer === undefined) {
      if (this.upstreamWorkers.size >= MAX_PASSTHROUGH_WORKERS) {
        this.upstreamWorkers.delete(this.upstreamWorkers.keys().next().value as string);
      }
      answer = authorize.call(this.link, workerName, password).catch(() => false);
      this.upstreamWorkers.set(workerName, answer);
      void answer.then((ok) => {
        if (!ok) this.upstreamWorkers.delete(workerName);
      });
    }
    return answer;
  }

  /**
   * Notes which worker the next share of `extranonce1` comes from, so that
   * it is forwarded under that name (credentials passthrough; nothing
   * otherwise). The dialect handles one request of a connection at a time,
   * and the engine builds the forwarded share before it answers, so the
   * note made right before a submit is the one used.
   */
  noteSubmitter(extranonce1: Buffer, workerName: string): void {
    if (this.credentials === 'passthrough') this.submitters.set(extranonce1.toString('hex'), workerName);
  }

  /** forgets the submitter note of an extranonce1 whose session closed */
  forgetSubmitter(extranonce1: Buffer): void {
    this.submitters.delete(extranonce1.toString('hex'));
  }

  /**
   * Takes this subscription out of service without closing its link (the
   * link moved to another extranonce1 and a fresh subscription took it
   * over): no new miners, no new jobs; shares on the jobs it has still
   * forward.
   */
  retire(): void {
    if (this.retiredFlag) return;
    this.retiredFlag = true;
    this.node.detach();
  }

  /**
   * Stops the engine (waits for in-flight shares and forwards, closes its
   * sessions), then closes the link unless `keepLink`. Idempotent.
   */
  stop(reason = 'subscription closed', keepLink = false): Promise<void> {
    this.stopping ??= (async () => {
      this.node.detach();
      await this.engine.stop();
      if (!keepLink) this.link.close(reason);
    })();
    return this.stopping;
  }
}
