import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observable, Subscription } from 'rxjs';
import { shareReasonLabel } from '@lode/observability';

/** The connection states of `lode_miner_connection_state`, in the order a connection goes through them. */
export const MINER_CONNECTION_STATES = ['connecting', 'connected', 'subscribed', 'authorized', 'disconnected'] as const;

/** One of {@link MINER_CONNECTION_STATES}. */
export type MinerConnectionState = (typeof MINER_CONNECTION_STATES)[number];

/** What the miner is, for `lode_miner_info`. */
export interface MinerIdentity {
  /** coin id ("btc") */
  coin: string;
  /** the dialect it speaks: "bitcoin", "warthog", or the Ethereum dialect ("plain", "ethproxy", "es1", "es2") */
  dialect: string;
  /** what it sends as its user agent ("lode-miner/0.1.0") */
  userAgent: string;
  /** native scan threads */
  threads: number;
  /** the native hasher's code path ("sha-ni") */
  implementation: string;
}

/**
 * An event of any of the three miners (Miner, EthMiner, WarthogMiner): the
 * metrics read `type` and, by type, the fields these miners put on it
 * (accepted/rejected: `seconds`, `stale`, `message`, `code`; job:
 * `difficulty`, `clean`; stats: `hashrate`, `totalHashes` or `stats`).
 */
export interface MinerMetricsEvent {
  type: string;
}

/**
 * The miner's Prometheus metrics (issue 10; docs/metrics.md), fed by the
 * miner's `events$` ({@link watch}): connection state and counts, jobs,
 * shares submitted and answered by verdict and reason with the reply
 * latency histogram, the hashrate of the last stats window (updated every
 * `--stats-interval`), and the default process metrics (prefix `lode_`,
 * event-loop lag included). Durations are seconds, rates hashes per second.
 */
export class MinerMetrics {
  readonly registry = new Registry();
  private readonly state: Gauge<'state'>;
  private readonly attempts: Counter;
  private readonly connections: Counter<'dialect' | 'user_agent'>;
  private readonly disconnects: Counter;
  private readonly sessions: Counter;
  private readonly jobs: Counter<'clean'>;
  private readonly difficulty: Gauge;
  private readonly submitted: Counter;
  private readonly shares: Counter<'verdict' | 'reason'>;
  private readonly reply: Histogram<'verdict'>;
  private readonly hashrate: Gauge;
  private readonly hashes: Counter;
  private current: MinerConnectionState | undefined;
  private hashesSeen = 0;

  constructor(private readonly identity: MinerIdentity) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lode_' });
    new Gauge({
      name: 'lode_miner_info',
      help: 'always 1: what the miner mines, over which dialect, as which user agent, with which hasher',
      labelNames: ['coin', 'dialect', 'user_agent', 'implementation'],
      registers,
    }).set({ coin: identity.coin, dialect: identity.dialect, user_agent: identity.userAgent, implementation: identity.implementation }, 1);
    new Gauge({ name: 'lode_miner_threads', help: 'native scan threads', registers }).set(identity.threads);
    this.state = new Gauge({
      name: 'lode_miner_connection_state',
      help: "the pool connection's state: 1 for its state (connecting, connected, subscribed, authorized: mining, disconnected), 0 for the others",
      labelNames: ['state'],
      registers,
    });
    this.attempts = new Counter({ name: 'lode_miner_connection_attempts_total', help: 'connection attempts to the pool', registers });
    this.connections = new Counter({
      name: 'lode_miner_connections_total',
      help: 'connections to the pool that got through (TCP/TLS up), by dialect and user agent',
      labelNames: ['dialect', 'user_agent'],
      registers,
    });
    this.disconnects = new Counter({ name: 'lode_miner_disconnects_total', help: 'connections lost or refused (each is followed by a reconnect)', registers });
    this.sessions = new Counter({ name: 'lode_miner_sessions_total', help: 'stratum sessions subscribed (resumed ones included)', registers });
    this.jobs = new Counter({ name: 'lode_miner_jobs_total', help: 'jobs received, by the clean flag', labelNames: ['clean'], registers });
    this.difficulty = new Gauge({ name: 'lode_miner_difficulty', help: "the share difficulty (not a target) of the newest job, when the dialect gives one", registers });
    this.submitted = new Counter({ name: 'lode_miner_shares_submitted_total', help: 'shares sent to the pool', registers });
    this.shares = new Counter({
      name: 'lode_miner_shares_total',
      help: "the pool's answers by verdict (accepted|rejected) and reason (none; stale for accepted-stale; else a bounded class of the pool's error: duplicate, stale, unknown-job, low-difficulty, unauthorized, not-subscribed, other)",
      labelNames: ['verdict', 'reason'],
      registers,
    });
    this.reply = new Histogram({
      name: 'lode_miner_share_reply_seconds',
      help: "from a share's submit to the pool's answer, by verdict, seconds",
      labelNames: ['verdict'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.hashrate = new Gauge({ name: 'lode_miner_hashrate_hashes_per_second', help: 'hashes per second over the last stats window (idle time counts)', registers });
    this.hashes = new Counter({ name: 'lode_miner_hashes_total', help: 'hashes computed, as of the last stats window', registers });
    // Present from the first scrape, so that dashboards and rate() see zeros.
    this.shares.inc({ verdict: 'accepted', reason: 'none' }, 0);
    this.connections.inc({ dialect: identity.dialect, user_agent: identity.userAgent }, 0);
    this.jobs.inc({ clean: 'true' }, 0);
    this.setState('disconnected');
  }

  /**
   * Feeds the metrics from a miner's events until they complete (the miner
   * stopped); the returned subscription ends it earlier.
   */
  watch(events$: Observable<MinerMetricsEvent>): Subscription {
    return events$.subscribe((event) => this.record(event));
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Takes one event into the metrics (what {@link watch} does for each). */
  record(event: MinerMetricsEvent): void {
    const e = event as MinerMetricsEvent & Record<string, unknown>;
    switch (e.type) {
      case 'connecting':
        this.attempts.inc();
        this.setState('connecting');
        break;
      case 'connected':
        this.connected();
        break;
      case 'subscribed':
        // Warthog says nothing between connecting and subscribed
        if (this.current === 'connecting') this.connected();
        this.sessions.inc();
        this.setState('subscribed');
        break;
      case 'authorized':
        this.setState('authorized');
        break;
      case 'disconnected':
        this.disconnects.inc();
        this.setState('disconnected');
        break;
      case 'job':
        this.jobs.inc({ clean: String(e['clean'] === true) });
        if (typeof e['difficulty'] === 'number') this.difficulty.set(e['difficulty']);
        break;
      case 'submitted':
        this.submitted.inc();
        break;
      case 'accepted':
        this.answered('accepted', e['stale'] === true ? 'stale' : 'none', e['seconds']);
        break;
      case 'rejected':
        this.answered('rejected', shareReasonLabel(String(e['message'] ?? ''), typeof e['code'] === 'number' ? e['code'] : undefined), e['seconds']);
        break;
      case 'stats': {
        const stats = (typeof e['stats'] === 'object' && e['stats'] !== null ? e['stats'] : e) as { hashrate?: unknown; totalHashes?: unknown };
        if (typeof stats.hashrate === 'number') this.hashrate.set(stats.hashrate);
        if (typeof stats.totalHashes === 'number' && stats.totalHashes > this.hashesSeen) {
          this.hashes.inc(stats.totalHashes - this.hashesSeen);
          this.hashesSeen = stats.totalHashes;
        }
        break;
      }
    }
  }

  private connected(): void {
    this.connections.inc({ dialect: this.identity.dialect, user_agent: this.identity.userAgent });
    this.setState('connected');
  }

  private answered(verdict: 'accepted' | 'rejected', reason: string, seconds: unknown): void {
    this.shares.inc({ verdict, reason });
    if (typeof seconds === 'number' && seconds >= 0) this.reply.observe({ verdict }, seconds);
  }

  private setState(state: MinerConnectionState): void {
    this.current = state;
    for (const s of MINER_CONNECTION_STATES) this.state.set({ state: s }, s === state ? 1 : 0);
  }
}
