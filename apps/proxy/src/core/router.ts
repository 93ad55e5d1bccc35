import type { CreateSessionOptions, SubscribeRequest } from '@lode/pool-engine';
import { LodeError, silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import type { Subscription as RxSubscription } from 'rxjs';
import type { DownstreamMiner } from './downstream-miner';
import type { OpenedSession } from './opened-session';
import type { UpstreamGroup, UpstreamGroupEvent } from './upstream-group';

/** What a {@link Router} is built from. */
export interface RouterOptions {
  /** a better-priority upstream that came back must stay healthy this long before miners move back to it, seconds */
  failbackSeconds: number;
  /** seconds between check() runs from the router's own timer (0 = no timer: the owner calls check()) */
  healthCheckSeconds: number;
  logger?: LodeLogger;
  /** clock, ms since epoch (default Date.now) */
  clock?: () => number;
}

/**
 * Routes miners among the upstream groups of one coin and dialect.
 *
 * - New miners go to the healthy groups of the best (lowest) priority,
 *   spread by weight: the group with the fewest miners per unit of weight
 *   ((miners + 1) / weight, ties to the first configured). A group that
 *   came back after being down is left out until it has been healthy for
 *   `failbackSeconds`, unless no other group is healthy.
 * - Failover: when a subscription's link is lost, its miners move to the
 *   group chosen as for a new miner ("failover to <name>"); with none
 *   healthy they wait (they keep their connection, without new work) and
 *   move at the next check after a group comes up.
 * - Fail-back: at each check, miners on a group of worse priority than the
 *   best group healthy for `failbackSeconds` move there ("fail-back to <name>").
 * - An upstream extranonce change (`moved`) moves the miners of the
 *   retired subscription onto the same group.
 * - Moving a miner: miners that take extranonce changes get a new session
 *   (DownstreamMiner.moveTo: set_extranonce, difficulty, clean job); the
 *   others, or a move that fails, get reconnect.
 */
export class Router {
  private readonly miners = new Set<DownstreamMiner>();
  private readonly moving = new Set<DownstreamMiner>();
  /** groups that came back after a failure and have not been healthy for failbackSeconds yet */
  private readonly recovering = new Set<UpstreamGroup>();
  private readonly logger: LodeLogger;
  private readonly clock: () => number;
  private readonly failbackMs: number;
  private readonly watches: RxSubscription[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  /** @throws LodeError('config') with no group, or groups of different dialects */
  constructor(
    readonly groups: readonly UpstreamGroup[],
    private readonly options: RouterOptions,
  ) {
    if (groups.length === 0) throw new LodeError('config', 'a router needs at least one upstream');
    const dialects = new Set(groups.map((g) => g.dialect));
    if (dialects.size > 1) throw new LodeError('config', `upstreams of one router speak one dialect, got ${[...dialects].join(', ')}`);
    this.logger = (options.logger ?? silentLogger).child({ component: 'router' });
    this.clock = options.clock ?? Date.now;
    this.failbackMs = options.failbackSeconds * 1000;
    for (const group of groups) this.watches.push(group.events$.subscribe((event) => this.onEvent(event)));
  }

  /** miners known to the router (subscribed through it and not released) */
  get minerCount(): number {
    return this.miners.size;
  }

  /** every miner known to the router */
  get downstream(): readonly DownstreamMiner[] {
    return [...this.miners];
  }

  /** Starts every group's first connection and the check timer (unref'd). */
  start(): void {
    for (const group of this.groups) group.start();
    const every = this.options.healthCheckSeconds * 1000;
    if (every > 0 && this.timer === undefined) {
      this.timer = setInterval(() => this.check(), every);
      this.timer.unref();
    }
  }

  /**
   * Resolves true once some group is healthy, false after `timeoutMs`.
   */
  whenHealthy(timeoutMs: number): Promise<boolean> {
    if (this.groups.some((g) => g.healthy)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const subs: RxSubscription[] = [];
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        for (const s of subs) s.unsubscribe();
        resolve(ok);
      };
      // Not unref'd: a process waiting for its first upstream must not exit meanwhile.
      const timer = setTimeout(() => done(false), timeoutMs);
      for (const g of this.groups) subs.push(g.events$.subscribe((e) => e.type === 'up' && done(true)));
    });
  }

  /**
   * The group a new miner goes to now, or undefined when none is healthy.
   *
   * @param exclude groups already tried
   */
  pick(exclude: ReadonlySet<UpstreamGroup> = new Set()): UpstreamGroup | undefined {
    const healthy = this.groups.filter((g) => g.healthy && !exclude.has(g));
    const settled = healthy.filter((g) => !this.recovering.has(g));
    const pool = settled.length > 0 ? settled : healthy;
    if (pool.length === 0) return undefined;
    const best = Math.min(...pool.map((g) => g.priority));
    let chosen: UpstreamGroup | undefined;
    let load = Number.POSITIVE_INFINITY;
    for (const g of pool) {
      if (g.priority !== best) continue;
      const l = (g.minerCount + 1) / g.weight;
      if (l < load) {
        chosen = g;
        load = l;
      }
    }
    return chosen;
  }

  /**
   * The version mask a new miner will most likely get (the picked group's
   * first live link's), for a `mining.configure` that comes before subscribe.
   */
  versionMaskHint(): number | undefined {
    return this.pick()?.subscriptions.find((s) => s.alive)?.link.versionMask;
  }

  /**
   * Opens a session for a subscribing miner on the group {@link pick}
   * chooses (the next one when that fails) and keeps the miner for failover.
   *
   * @throws LodeError('connection') "no upstream is available" when no group is
   *   healthy or every healthy one failed
   */
  async openSession(miner: DownstreamMiner, create: CreateSessionOptions, request: SubscribeRequest): Promise<OpenedSession> {
    if (this.stopped) throw new LodeError('connection', 'the proxy is stopping');
    const tried = new Set<UpstreamGroup>();
    let lastError: unknown;
    for (;;) {
      const group = this.pick(tried);
      if (group === undefined) break;
      try {
        const opened = await group.openSession(create, request);
        this.miners.add(miner);
        return opened;
      } catch (error) {
        lastError = error;
        this.logger.warn({ upstream: group.name, err: error instanceof Error ? error.message : String(error) }, 'upstream could not take a miner');
        tried.add(group);
      }
    }
    throw new LodeError('connection', 'no upstream is available; try again later', lastError === undefined ? {} : { cause: lastError });
  }

  /** Forgets a miner whose connection closed. */
  release(miner: DownstreamMiner): void {
    this.miners.delete(miner);
    this.moving.delete(miner);
  }

  /**
   * The periodic work (every healthCheckSeconds): each group's check
   * (reconnects, idle subscriptions), recovering groups that have been
   * healthy long enough, miners waiting for an upstream, fail-back.
   */
  check(): void {
    if (this.stopped) return;
    const now = this.clock();
    for (const group of this.groups) group.check(now);
    for (const group of [...this.recovering]) {
      const since = group.healthySince;
      if (since !== undefined && now - since >= this.failbackMs) this.recovering.delete(group);
    }
    const orphans = [...this.miners].filter((m) => !this.moving.has(m) && m.subscription !== undefined && !m.subscription.alive);
    if (orphans.length > 0) this.rehome(orphans, 'failover');
    this.failBack();
  }

  /** Stops the timer and every group (in-flight forwards first). Idempotent. */
  async stop(reason = 'proxy stopping'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    for (const w of this.watches) w.unsubscribe();
    await Promise.all(this.groups.map((g) => g.stop(reason)));
  }

  private onEvent(event: UpstreamGroupEvent): void {
    if (this.stopped) return;
    switch (event.type) {
      case 'lost':
        this.rehome(this.minersOn((s) => s === event.subscription), 'failover');
        break;
      case 'moved':
        this.moveAll(this.minersOn((s) => s === event.from), event.group, 'upstream extranonce changed');
        break;
      case 'down':
        this.recovering.add(event.group);
        break;
      case 'up': {
        // Miners left without an upstream go at once; fail-back waits for check().
        const orphans = [...this.miners].filter((m) => !this.moving.has(m) && m.subscription !== undefined && !m.subscription.alive);
        if (orphans.length > 0) this.rehome(orphans, 'failover');
        break;
      }
    }
  }

  private minersOn(match: (s: NonNullable<DownstreamMiner['subscription']>) => boolean): DownstreamMiner[] {
    return [...this.miners].filter((m) => !this.moving.has(m) && m.subscription !== undefined && match(m.subscription));
  }

  /** Moves miners off a dead subscription to the group a new miner would get; none healthy: they wait. */
  private rehome(miners: DownstreamMiner[], why: 'failover'): void {
    if (miners.length === 0) return;
    const target = this.pick();
    if (target === undefined) {
      this.logger.warn({ miners: miners.length }, 'no upstream is healthy: miners wait for one');
      return;
    }
    this.logger.warn({ miners: miners.length, upstream: target.name, why }, `failover to ${target.name}`);
    this.moveAll(miners, target, `${why} to ${target.name}`);
  }

  private failBack(): void {
    const stable = this.groups.filter((g) => g.healthy && !this.recovering.has(g));
    if (stable.length === 0) return;
    const best = Math.min(...stable.map((g) => g.priority));
    const worse = [...this.miners].filter((m) => {
      if (this.moving.has(m) || m.subscription === undefined) return false;
      const group = this.groups.find((g) => g.name === m.subscription?.group);
      return group !== undefined && group.priority > best;
    });
    if (worse.length === 0) return;
    const target = this.pick(new Set(this.groups.filter((g) => g.priority !== best)));
    if (target === undefined) return;
    this.logger.info({ miners: worse.length, upstream: target.name }, `fail-back to ${target.name}`);
    this.moveAll(worse, target, `fail-back to ${target.name}`);
  }

  private moveAll(miners: DownstreamMiner[], target: UpstreamGroup, reason: string): void {
    for (const miner of miners) {
      if (!miner.acceptsExtranonceChange) {
        this.miners.delete(miner);
        miner.reconnect(reason);
        continue;
      }
      this.moving.add(miner);
      miner
        .moveTo(target)
        .catch((error: unknown) => {
          this.logger.warn({ miner: miner.id, err: error instanceof Error ? error.message : String(error) }, 'miner could not move; asked to reconnect');
          this.miners.delete(miner);
          miner.reconnect(reason);
        })
        .finally(() => this.moving.delete(miner));
    }
  }
}
