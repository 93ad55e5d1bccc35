import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineMetrics } from '@lode/pool-engine';
import type { Observable } from 'rxjs';
import type { UpstreamMetrics } from '../core/subscription';
import type { UpstreamGroupEvent } from '../core/upstream-group';
import type { UpstreamSnapshot } from '../core/upstream-snapshot';
import { FANOUT_BUCKETS, SHARE_VALIDATION_BUCKETS, UserAgentLabels, shareReasonLabel } from '@lode/observability';

/** The states of an upstream (UpstreamGroup.state), each a series of `lode_proxy_upstream_state`. */
const UPSTREAM_STATES = ['up', 'connecting', 'down', 'stopped'] as const;

/** One downstream port as the metrics read it at scrape time. */
export interface PortReading {
  port: string;
  coin: string;
  dialect: string;
  /** open connections (subscribed or not) */
  open: number;
  /** connections accepted since start */
  total: number;
}

/**
 * The proxy's Prometheus metrics (issue 10; docs/metrics.md lists each with
 * its unit). One Registry per proxy:
 *
 * - downstream, from each subscription's PoolEngine (`upstreamMetrics(coin,
 *   upstream).engine`): miner sessions by dialect and user agent, the
 *   proxy's own share verdicts by reason with the validation histogram,
 *   notify fan-out, difficulty changes;
 * - upstream, from each subscription's UpstreamNode
 *   (`upstreamMetrics(...).forward`): forwarded shares by the upstream's
 *   verdict and reason, and the round-trip histogram;
 * - at scrape time, from `addUpstreams` and `addPorts`: upstream state,
 *   live subscriptions, miners, difficulty; open and total connections per
 *   port; from `watchUpstream`: up/down/lost/moved transitions;
 * - default process metrics (prefix `lode_`, event-loop lag included).
 *
 * Durations are seconds.
 */
export class ProxyMetrics {
  readonly registry = new Registry();
  private readonly agents = new UserAgentLabels();
  private readonly connections: Gauge<'coin' | 'dialect' | 'user_agent'>;
  private readonly shares: Counter<'coin' | 'verdict' | 'reason'>;
  private readonly validation: Histogram<'coin'>;
  private readonly fanout: Histogram<'coin' | 'clean'>;
  private readonly vardiff: Counter<'coin' | 'direction'>;
  private readonly forwarded: Counter<'upstream' | 'result' | 'reason'>;
  private readonly forwardSeconds: Histogram<'upstream' | 'result'>;
  private readonly transitions: Counter<'upstream' | 'event'>;
  private readonly engines = new Map<string, EngineMetrics>();
  private upstreamSources: (() => UpstreamSnapshot[])[] = [];
  private portSources: (() => PortReading[])[] = [];

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lode_' });
    const upstreams = (): UpstreamSnapshot[] => this.upstreamSources.flatMap((read) => read());
    const ports = (): PortReading[] => this.portSources.flatMap((read) => read());
    this.connections = new Gauge({
      name: 'lode_proxy_connections',
      help: 'miner sessions on upstream subscriptions (subscribed downstream connections) by dialect and user agent name (bounded: at most 50 names, then "other")',
      labelNames: ['coin', 'dialect', 'user_agent'],
      registers,
    });
    new Gauge({
      name: 'lode_proxy_port_connections',
      help: 'open downstream connections per port, subscribed or not',
      labelNames: ['port', 'coin', 'dialect'],
      registers,
      collect() {
        this.reset();
        for (const p of ports()) this.set({ port: p.port, coin: p.coin, dialect: p.dialect }, p.open);
      },
    });
    new Counter({
      name: 'lode_proxy_port_connections_total',
      help: 'downstream connections accepted per port',
      labelNames: ['port', 'coin', 'dialect'],
      registers,
      collect() {
        this.reset();
        for (const p of ports()) this.inc({ port: p.port, coin: p.coin, dialect: p.dialect }, p.total);
      },
    });
    new Gauge({
      name: 'lode_proxy_sessions',
      help: 'miners on each upstream (sessions of its subscriptions)',
      labelNames: ['upstream', 'coin'],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams()) this.set({ upstream: u.name, coin: u.coin }, u.miners);
      },
    });
    this.shares = new Counter({
      name: 'lode_proxy_shares_total',
      help: "miners' shares judged by the proxy at each miner's own target, by verdict (accepted|rejected) and reason (none, stale for accepted-stale, else the reject reason)",
      labelNames: ['coin', 'verdict', 'reason'],
      registers,
    });
    this.validation = new Histogram({
      name: 'lode_proxy_share_validation_seconds',
      help: 'time to judge one miner share (job lookup, rules, header build, hash), seconds',
      labelNames: ['coin'],
      buckets: [...SHARE_VALIDATION_BUCKETS],
      registers,
    });
    this.fanout = new Histogram({
      name: 'lode_proxy_notify_fanout_seconds',
      help: "from an upstream job in hand to the last miner session written with it, per subscription, seconds",
      labelNames: ['coin', 'clean'],
      buckets: [...FANOUT_BUCKETS],
      registers,
    });
    this.vardiff = new Counter({
      name: 'lode_proxy_difficulty_changes_total',
      help: "miners' share-difficulty changes (vardiff, suggestion, minimum, upstream ceiling) by direction (up|down)",
      labelNames: ['coin', 'direction'],
      registers,
    });
    this.forwarded = new Counter({
      name: 'lode_proxy_upstream_shares_total',
      help: "shares forwarded upstream by the upstream's verdict (accepted|rejected|failed: no answer) and reason (none, a bounded class of the upstream's error text, link-failed)",
      labelNames: ['upstream', 'result', 'reason'],
      registers,
    });
    this.forwardSeconds = new Histogram({
      name: 'lode_proxy_upstream_share_seconds',
      help: "from a share forwarded upstream to the upstream's answer (or the link's failure), seconds",
      labelNames: ['upstream', 'result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'lode_proxy_upstream_up',
      help: '1 while the upstream has a live subscription, else 0',
      labelNames: ['upstream', 'coin', 'dialect'],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams()) this.set({ upstream: u.name, coin: u.coin, dialect: u.dialect }, u.state === 'up' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'lode_proxy_upstream_state',
      help: "the upstream's connection state: 1 for its state (up, connecting, down, stopped), 0 for the others",
      labelNames: ['upstream', 'state'],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams()) for (const state of UPSTREAM_STATES) this.set({ upstream: u.name, state }, u.state === state ? 1 : 0);
      },
    });
    new Gauge({
      name: 'lode_proxy_upstream_subscriptions',
      help: 'live subscriptions (upstream connections) per upstream',
      labelNames: ['upstream'],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams()) this.set({ upstream: u.name }, u.subscriptions.filter((s) => s.alive).length);
      },
    });
    new Gauge({
      name: 'lode_proxy_upstream_difficulty',
      help: "the upstream's share difficulty (not a target) of its newest job on the first live subscription",
      labelNames: ['upstream'],
      registers,
      collect() {
        this.reset();
        for (const u of upstreams()) if (u.difficulty !== undefined) this.set({ upstream: u.name }, u.difficulty);
      },
    });
    this.transitions = new Counter({
      name: 'lode_proxy_upstream_events_total',
      help: 'upstream transitions: up (a live subscription again), down (none left), lost (a link closed), moved (the upstream changed an extranonce1)',
      labelNames: ['upstream', 'event'],
      registers,
    });
  }

  /**
   * The observers of one upstream's subscriptions (UpstreamGroupOptions.metrics).
   *
   * @param coin the coin id the upstream mines (the `coin` label downstream)
   * @param upstream the upstream's config name (the `upstream` label)
   */
  upstreamMetrics(coin: string, upstream: string): UpstreamMetrics {
    this.forwarded.inc({ upstream, result: 'accepted', reason: 'none' }, 0);
    this.forwarded.inc({ upstream, result: 'failed', reason: 'link-failed' }, 0);
    for (const event of ['up', 'down', 'lost', 'moved']) this.transitions.inc({ upstream, event }, 0);
    return {
      engine: this.engineMetrics(coin),
      forward: {
        forwarded: (result, reason, seconds) => {
          const label = result === 'accepted' ? 'none' : result === 'failed' ? 'link-failed' : shareReasonLabel(reason);
          this.forwarded.inc({ upstream, result, reason: label });
          this.forwardSeconds.observe({ upstream, result }, seconds);
        },
      },
    };
  }

  /** Counts one upstream's transitions (its events$ completes when it stops, and so does the count). */
  watchUpstream(name: string, events$: Observable<UpstreamGroupEvent>): void {
    events$.subscribe((event) => this.transitions.inc({ upstream: name, event: event.type }));
  }

  /** Reads the upstreams' snapshots at scrape time (state, miners, subscriptions, difficulty). */
  addUpstreams(read: () => UpstreamSnapshot[]): void {
    this.upstreamSources.push(read);
  }

  /** Reads the ports' connection counts at scrape time. */
  addPorts(read: () => PortReading[]): void {
    this.portSources.push(read);
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** The EngineMetrics shared by every subscription engine of one coin. */
  private engineMetrics(coin: string): EngineMetrics {
    const known = this.engines.get(coin);
    if (known !== undefined) return known;
    this.shares.inc({ coin, verdict: 'accepted', reason: 'none' }, 0);
    this.vardiff.inc({ coin, direction: 'up' }, 0);
    this.vardiff.inc({ coin, direction: 'down' }, 0);
    const metrics: EngineMetrics = {
      sessionOpened: (dialect) => this.connections.inc({ coin, dialect, user_agent: 'none' }),
      sessionSubscribed: (dialect, agent) => {
        this.connections.dec({ coin, dialect, user_agent: 'none' });
        this.connections.inc({ coin, dialect, user_agent: this.agents.label(agent) });
      },
      sessionClosed: (dialect, agent) => {
        this.connections.dec({ coin, dialect, user_agent: agent === undefined ? 'none' : this.agents.label(agent) });
      },
      shareJudged: (verdict, reason, seconds) => {
        this.shares.inc({ coin, verdict, reason });
        this.validation.observe({ coin }, seconds);
      },
      jobFannedOut: (seconds, _sessions, clean) => this.fanout.observe({ coin, clean: String(clean) }, seconds),
      difficultyChanged: (from, to) => this.vardiff.inc({ coin, direction: to > from ? 'up' : 'down' }),
      // blocks and node calls: a forwarded share is counted by the UpstreamNode's observer
    };
    this.engines.set(coin, metrics);
    return metrics;
  }
}
