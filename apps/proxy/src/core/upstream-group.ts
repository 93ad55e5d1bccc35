import type { CoinPlugin } from '@lode/plugin-api';
import type { CreateSessionOptions, MinerSession, SubscribeRequest } from '@lode/pool-engine';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import type { OpenedSession } from './opened-session';
import type { ProxyDialectName } from './subdivision';
import { Subscription } from './subscription';
import type { SubscriptionOptions, UpstreamMetrics } from './subscription';
import type { UpstreamConnector, UpstreamEndpoint } from './upstream-link';
import type { ForwardCounters } from './upstream-node';
import type { SubscriptionSnapshot, UpstreamSnapshot } from './upstream-snapshot';

/** Times a new miner tries the group's subscriptions (and opens new ones) before giving up. */
const MAX_OPEN_ATTEMPTS = 8;

/** One upstream pool as the proxy routes to it. */
export interface UpstreamDefinition extends UpstreamEndpoint {
  /** lower first */
  priority: number;
  /** share of new miners among the healthy upstreams of one priority, > 0 */
  weight: number;
  dialect: ProxyDialectName;
}

/** What an {@link UpstreamGroup} is built from. */
export interface UpstreamGroupOptions {
  upstream: UpstreamDefinition;
  /** the dialect's connector */
  connector: UpstreamConnector;
  /** the coin's own plugin (found by discovery) */
  plugin: CoinPlugin;
  credentials: 'proxy' | 'passthrough';
  /** sent upstream in mining.subscribe */
  userAgent: string;
  /** how long one connect, subscribe, authorize and first job may take, ms */
  connectTimeoutMs: number;
  /** how long an extra subscription may stay without miners before it is closed, ms */
  emptyGraceMs: number;
  /** first and longest wait between reconnect attempts, ms (doubling; default 1000 and 60000) */
  backoffMinMs?: number;
  backoffMaxMs?: number;
  engineOptions?: SubscriptionOptions['engineOptions'];
  logger?: LodeLogger;
  /** clock, ms since epoch (default Date.now) */
  clock?: () => number;
  /** what every subscription's engine and node report to (metrics) */
  metrics?: UpstreamMetrics;
}

/**
 * What happens to an upstream group, for the {@link Router}:
 * - `up` / `down`: the group became healthy (a live subscription) / has none left
 * - `lost`: a subscription's link closed: its miners must move
 * - `moved`: the upstream gave a link another extranonce1 (set_extranonce):
 *   `from` is retired, `to` serves the same link with the new value
 */
export type UpstreamGroupEvent =
  | { type: 'up'; group: UpstreamGroup }
  | { type: 'down'; group: UpstreamGroup; reason: string }
  | { type: 'lost'; group: UpstreamGroup; subscription: Subscription; reason: string }
  | { type: 'moved'; group: UpstreamGroup; from: Subscription; to: Subscription };

/**
 * The subscriptions to one upstream pool. It opens the first at start(),
 * another whenever a new miner finds every live one full (the engine's
 * extranonce allocator is exhausted: 256^suffix miners each), reconnects
 * with exponential backoff when the last one is lost, closes extra
 * subscriptions that stayed empty for `emptyGraceMs` (the first one is kept
 * as the group's health), and stops subscriptions whose link died once
 * their miners have moved away.
 *
 * Logs "upstream connected", "upstream lost", "upstream connect failed".
 */
export class UpstreamGroup {
  readonly name: string;
  readonly priority: number;
  readonly weight: number;
  readonly dialect: ProxyDialectName;
  readonly upstream: UpstreamDefinition;
  /** group events, see {@link UpstreamGroupEvent}; completes on stop() */
  readonly events$: Observable<UpstreamGroupEvent>;

  private readonly eventsSubject = new Subject<UpstreamGroupEvent>();
  private readonly subs: Subscription[] = [];
  private readonly logger: LodeLogger;
  private readonly clock: () => number;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  private connecting: Promise<Subscription> | undefined;
  private failures = 0;
  private nextAttemptAt = 0;
  private sequence = 0;
  private wasHealthy = false;
  private since: number | undefined;
  private stopped = false;
  private lastError: string | undefined;
  /** forwards of subscriptions already dropped */
  private readonly pastForwards: ForwardCounters = { forwarded: 0, accepted: 0, rejected: 0, failed: 0 };

  /** @throws LodeError('config') on a weight that is not > 0 */
  constructor(private readonly options: UpstreamGroupOptions) {
    const { upstream } = options;
    if (!(upstream.weight > 0)) throw new LodeError('config', `upstream ${upstream.name} has weight ${upstream.weight}; it must be > 0`);
    this.upstream = upstream;
    this.name = upstream.name;
    this.priority = upstream.priority;
    this.weight = upstream.weight;
    this.dialect = upstream.dialect;
    this.clock = options.clock ?? Date.now;
    this.backoffMinMs = options.backoffMinMs ?? 1000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60000;
    this.logger = (options.logger ?? silentLogger).child({ upstream: upstream.name });
    this.events$ = this.eventsSubject.asObservable();
  }

  /** true while at least one subscription is alive */
  get healthy(): boolean {
    return this.subs.some((s) => s.alive);
  }

  /** 'up', 'connecting' (no live subscription yet, an attempt under way), 'down' or 'stopped' */
  get state(): 'up' | 'connecting' | 'down' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (this.healthy) return 'up';
    return this.connecting !== undefined ? 'connecting' : 'down';
  }

  /** ms since epoch since which the group is healthy without a break; undefined while it is not */
  get healthySince(): number | undefined {
    return this.healthy ? this.since : undefined;
  }

  /** the last connect failure or loss, for the stats */
  get lastFailure(): string | undefined {
    return this.lastError;
  }

  /** every subscription not yet stopped (live, retired or lost with miners still on it), oldest first */
  get subscriptions(): readonly Subscription[] {
    return [...this.subs];
  }

  /** miners on this group's subscriptions */
  get minerCount(): number {
    return this.subs.reduce((n, s) => n + s.sessionCount, 0);
  }

  /** shares forwarded through this group since it started, and the upstream's answers */
  get forwardCounters(): ForwardCounters {
    const total = { ...this.pastForwards };
    for (const s of this.subs) addCounters(total, s.node.counters);
    return total;
  }

  /**
   * What the stats API shows of this upstream.
   *
   * @param coin the coin id the group mines
   */
  snapshot(coin: string): UpstreamSnapshot {
    const first = this.subs.find((s) => s.alive);
    const subscriptions: SubscriptionSnapshot[] = this.subs.map((s) => ({
      id: s.id,
      extranonce1: s.extranonce1.toString('hex'),
      extranonce2Size: s.extranonce2Size,
      suffixBytes: s.suffixBytes,
      capacity: s.capacity,
      miners: s.sessionCount,
      ...(s.difficulty === undefined ? {} : { difficulty: s.difficulty }),
      ...(s.link.versionMask === undefined ? {} : { versionMask: s.link.versionMask.toString(16).padStart(8, '0') }),
      alive: s.alive,
      shares: { ...s.node.counters },
    }));
    const since = this.healthySince;
    const difficulty = first?.difficulty;
    return {
      name: this.name,
      url: this.upstream.url,
      coin,
      dialect: this.dialect,
      priority: this.priority,
      weight: this.weight,
      state: this.state,
      ...(since === undefined ? {} : { healthySince: since }),
      ...(this.lastError === undefined ? {} : { lastFailure: this.lastError }),
      ...(difficulty === undefined ? {} : { difficulty }),
      ...(first === undefined ? {} : { extranonce1: first.extranonce1.toString('hex') }),
      miners: this.minerCount,
      subscriptions,
      shares: this.forwardCounters,
    };
  }

  /** Starts connecting the first subscription (in the background; failures are logged and retried by check()). */
  start(): void {
    this.attempt();
  }

  /**
   * The group's periodic work (the Router calls it every healthCheckSeconds):
   * a reconnect attempt when no subscription is alive and the backoff has
   * passed; stops lost or retired subscriptions that no miner uses any more;
   * closes extra live subscriptions empty for emptyGraceMs.
   */
  check(now = this.clock()): void {
    if (this.stopped) return;
    if (!this.healthy && now >= this.nextAttemptAt) this.attempt();
    let keptOne = false;
    for (const sub of [...this.subs]) {
      if (!sub.alive) {
        if (sub.sessionCount === 0) this.drop(sub, 'no miners left on a closed or retired subscription');
        continue;
      }
      const idle = sub.idleSince;
      if (!keptOne) {
        keptOne = true;
        continue;
      }
      if (idle !== undefined && now - idle >= this.options.emptyGraceMs) {
        this.logger.info({ subscription: sub.id }, 'extra upstream subscription closed: no miners');
        this.drop(sub, 'no miners');
      }
    }
  }

  /**
   * Opens a miner session on a live subscription with room, or on a new
   * subscription when every one is full (the allocator's "exhausted").
   *
   * @param create the miner's session options (difficulty, vardiff, address)
   * @param request the miner's subscribe (user agent, session id)
   * @throws LodeError('connection') when the upstream cannot be reached or
   *   keeps having no room; whatever the connector throws
   */
  async openSession(create: CreateSessionOptions, request: SubscribeRequest): Promise<OpenedSession> {
    for (let attempt = 0; attempt < MAX_OPEN_ATTEMPTS; attempt++) {
      if (this.stopped) break;
      const sub = this.subs.find((s) => s.alive && !s.full) ?? (await this.connect());
      let session: MinerSession | undefined;
      try {
        session = sub.createSession(create);
        const result = await session.subscribe(request);
        return { subscription: sub, session, result };
      } catch (error) {
        void session?.close({ abandon: true });
        // Full (another miner took the last suffix meanwhile) or closing: try the next.
        if (isExhausted(error) || LodeError.is(error, 'connection')) continue;
        throw error;
      }
    }
    throw new LodeError('connection', `upstream ${this.name} has no room for another miner`);
  }

  /** Stops every subscription (waiting for their in-flight forwards) and closes the links. Idempotent. */
  async stop(reason = 'proxy stopping'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.allSettled([this.connecting]);
    await Promise.all(this.subs.map((s) => s.stop(reason)));
    this.subs.length = 0;
    this.eventsSubject.complete();
  }

  /** A new subscription (one connect at a time; concurrent callers share it). */
  private connect(): Promise<Subscription> {
    if (this.stopped) return Promise.reject(new LodeError('connection', `upstream ${this.name} is stopped`));
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private attempt(): void {
    if (this.connecting !== undefined || this.stopped) return;
    this.connect().catch(() => undefined);
  }

  private async open(): Promise<Subscription> {
    const { upstream, connector, connectTimeoutMs, userAgent, plugin } = this.options;
    let sub: Subscription;
    try {
      const link = await connector(
        {
          name: upstream.name,
          url: upstream.url,
          user: upstream.user,
          password: upstream.password,
          ...(upstream.tls === undefined ? {} : { tls: upstream.tls }),
        },
        { diff1Target: plugin.diff1Target, logger: this.logger, connectTimeoutMs, userAgent },
      );
      if (this.stopped) {
        link.close('proxy stopping');
        throw new LodeError('connection', `upstream ${this.name} is stopped`);
      }
      sub = this.subscriptionOn(link);
      try {
        await sub.start();
      } catch (error) {
        await sub.stop('subscription failed to start');
        throw error;
      }
    } catch (error) {
      this.failures++;
      const wait = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** (this.failures - 1));
      this.nextAttemptAt = this.clock() + wait;
      this.lastError = error instanceof Error ? error.message : String(error);
      this.logger.warn({ url: upstream.url, err: this.lastError, retryInMs: wait }, 'upstream connect failed');
      throw error;
    }
    this.failures = 0;
    this.adopt(sub);
    this.logger.info(
      {
        url: upstream.url,
        subscription: sub.id,
        extranonce1: sub.extranonce1.toString('hex'),
        extranonce2Size: sub.extranonce2Size,
        suffixBytes: sub.suffixBytes,
        difficulty: sub.difficulty,
      },
      'upstream connected',
    );
    return sub;
  }

  private subscriptionOn(link: Subscription['link']): Subscription {
    return new Subscription({
      link,
      plugin: this.options.plugin,
      group: this.name,
      credentials: this.options.credentials,
      logger: this.options.logger ?? silentLogger,
      ...(this.options.engineOptions === undefined ? {} : { engineOptions: this.options.engineOptions }),
      clock: this.clock,
      sequence: ++this.sequence,
      ...(this.options.metrics === undefined ? {} : { metrics: this.options.metrics }),
    });
  }

  /** Takes a started subscription into the group and watches its link. */
  private adopt(sub: Subscription): void {
    this.subs.push(sub);
    sub.link.closed$.subscribe((reason) => this.onLinkClosed(sub, reason));
    const moves = sub.link.extranonce$.subscribe(() => {
      moves.unsubscribe();
      void this.onExtranonce(sub);
    });
    this.noteHealth();
  }

  private onLinkClosed(sub: Subscription, reason: string): void {
    if (this.stopped || !this.subs.includes(sub)) return;
    this.lastError = reason;
    this.logger.warn({ subscription: sub.id, reason, miners: sub.sessionCount }, 'upstream lost');
    this.eventsSubject.next({ type: 'lost', group: this, subscription: sub, reason });
    this.noteHealth(reason);
    if (sub.sessionCount === 0) this.drop(sub, reason);
    // A lost upstream is tried again at once, then with backoff from check().
    if (!this.healthy) this.attempt();
  }

  private async onExtranonce(old: Subscription): Promise<void> {
    if (this.stopped || !old.alive) return;
    let fresh: Subscription;
    try {
      fresh = this.subscriptionOn(old.link);
      old.retire();
      await fresh.start();
    } catch (error) {
      this.logger.error({ err: error, subscription: old.id }, 'upstream extranonce change could not be followed; closing the link');
      old.link.close('extranonce change failed');
      return;
    }
    this.adopt(fresh);
    this.logger.info(
      { from: old.id, to: fresh.id, extranonce1: fresh.extranonce1.toString('hex'), extranonce2Size: fresh.extranonce2Size },
      'upstream extranonce changed',
    );
    this.eventsSubject.next({ type: 'moved', group: this, from: old, to: fresh });
    if (old.sessionCount === 0) this.drop(old, 'extranonce changed');
  }

  /** Stops and forgets a subscription; the link stays open when a newer subscription uses it. */
  private drop(sub: Subscription, reason: string): void {
    const at = this.subs.indexOf(sub);
    if (at < 0) return;
    this.subs.splice(at, 1);
    addCounters(this.pastForwards, sub.node.counters);
    const shared = this.subs.some((s) => s.link === sub.link);
    void sub.stop(reason, shared);
    this.noteHealth(reason);
  }

  private noteHealth(reason = 'no live subscription'): void {
    const healthy = this.healthy;
    if (healthy === this.wasHealthy) return;
    this.wasHealthy = healthy;
    this.since = healthy ? this.clock() : undefined;
    this.eventsSubject.next(healthy ? { type: 'up', group: this } : { type: 'down', group: this, reason });
  }
}

function addCounters(into: ForwardCounters, from: ForwardCounters): void {
  into.forwarded += from.forwarded;
  into.accepted += from.accepted;
  into.rejected += from.rejected;
  into.failed += from.failed;
}

/** The allocator's "every extranonce1 is in use" (LodeError 'protocol', "... exhausted"). */
function isExhausted(error: unknown): boolean {
  return LodeError.is(error, 'protocol') && /exhausted/.test(error.message);
}
