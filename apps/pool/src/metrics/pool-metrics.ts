import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { FANOUT_BUCKETS, SHARE_VALIDATION_BUCKETS, UserAgentLabels } from '@lode/observability';
import type { Observable, Subscription } from 'rxjs';
import type { BanManager, EngineMetrics, EscalationAction, PoolEngine } from '@lode/pool-engine';
import type { MalformedKind, RefusedConnection } from '@lode/stratum-core';
import { nodeRpcTargets, observeNodeRpc } from './node-rpc-observer';
import { observeRedisCommands } from './redis-command-observer';
import type { PortOpRecorder } from './timed-port';

/** Shares of one (coin, verdict, reason) judged since the last collect of `lode_pool_shares_total`. */
interface PendingShares {
  readonly labels: { coin: string; verdict: string; reason: string };
  count: number;
}

/**
 * The pool's Prometheus metrics (issue 10; docs/metrics.md lists each with
 * its unit). One Registry per pool; `engineMetrics(coin)` gives the
 * EngineMetrics each PoolEngine reports to; `addEngine` exposes the
 * engine's live session and resume-hold counts at scrape time;
 * `observeNodeRpc` times the coin plugins' requests to their nodes;
 * `observeRedis` adds the Redis latencies and the share log's spool depth.
 * Default process metrics (prefixed `lode_`, event-loop lag included) are
 * collected on the same registry. Durations are seconds. `close()` undoes
 * the process-wide hooks (the global fetch wrapper, the ioredis channel
 * subscription).
 */
export class PoolMetrics {
  readonly registry = new Registry();
  private readonly agents = new UserAgentLabels();
  private readonly connections: Gauge<'coin' | 'dialect' | 'user_agent'>;
  private readonly connectionsTotal: Counter<'coin' | 'dialect'>;
  private readonly shares: Counter<'coin' | 'verdict' | 'reason'>;
  private readonly validation: Histogram<'coin'>;
  private readonly fanout: Histogram<'coin' | 'clean'>;
  private readonly fanoutSessions: Gauge<'coin'>;
  private readonly vardiff: Counter<'coin' | 'direction'>;
  private readonly blocks: Counter<'coin' | 'result'>;
  private readonly nodeSeconds: Histogram<'coin' | 'method'>;
  private readonly nodeErrors: Counter<'coin' | 'method'>;
  private readonly nodeCallSeconds: Histogram<'coin' | 'call'>;
  private readonly nodeCallErrors: Counter<'coin' | 'call'>;
  private readonly engines = new Map<string, PoolEngine>();
  private readonly undo: (() => void)[] = [];
  private redisOp: PortOpRecorder | undefined;
  private nodeRpcObserved = false;
  private readonly bansTotal: Counter<'rule'>;
  private readonly refused: Counter<'port' | 'kind'>;
  private readonly malformedMessages: Counter<'port' | 'kind'>;
  private readonly escalations: Counter<'action'>;
  private readonly subscriptions: Subscription[] = [];
  private banList: BanManager | undefined;
  /**
   * Shares judged since the last scrape, by coin, verdict and reason: added
   * to `lode_pool_shares_total` when it is collected (every scrape), so a
   * share costs two Map lookups instead of prom-client hashing a label
   * object (docs/performance.md (b)). Bounded by the reasons the engine has.
   */
  private readonly pendingShares: PendingShares[] = [];

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'lode_' });
    this.connections = new Gauge({
      name: 'lode_pool_connections',
      help: 'open miner connections (engine sessions) by dialect and user agent name (bounded: at most 50 names, then "other"; "none" before subscribe)',
      labelNames: ['coin', 'dialect', 'user_agent'],
      registers,
    });
    this.connectionsTotal = new Counter({
      name: 'lode_pool_connections_total',
      help: 'miner connections accepted (engine sessions created)',
      labelNames: ['coin', 'dialect'],
      registers,
    });
    const engines = this.engines;
    new Gauge({
      name: 'lode_pool_sessions',
      help: 'live engine sessions per coin',
      labelNames: ['coin'],
      registers,
      collect() {
        for (const [coin, engine] of engines) this.set({ coin }, engine.sessionCount);
      },
    });
    new Gauge({
      name: 'lode_pool_resume_holds',
      help: 'extranonce1 values held for session resume per coin',
      labelNames: ['coin'],
      registers,
      collect() {
        for (const [coin, engine] of engines) this.set({ coin }, engine.resumeHolds);
      },
    });
    const pendingShares = this.pendingShares;
    this.shares = new Counter({
      name: 'lode_pool_shares_total',
      help: 'shares judged, by verdict (accepted|rejected) and reason (none, stale for accepted-stale, else the reject reason)',
      labelNames: ['coin', 'verdict', 'reason'],
      registers,
      collect() {
        for (const pending of pendingShares) {
          if (pending.count === 0) continue;
          this.inc(pending.labels, pending.count);
          pending.count = 0;
        }
      },
    });
    this.validation = new Histogram({
      name: 'lode_pool_share_validation_seconds',
      help: 'time to judge one share (job lookup, rules, header build, hash), seconds',
      labelNames: ['coin'],
      buckets: [...SHARE_VALIDATION_BUCKETS],
      registers,
    });
    this.fanout = new Histogram({
      name: 'lode_pool_notify_fanout_seconds',
      help: 'from template in hand to the last session written with the new job, seconds',
      labelNames: ['coin', 'clean'],
      buckets: [...FANOUT_BUCKETS],
      registers,
    });
    this.fanoutSessions = new Gauge({
      name: 'lode_pool_notify_fanout_sessions',
      help: 'live sessions when the last job was fanned out',
      labelNames: ['coin'],
      registers,
    });
    this.vardiff = new Counter({
      name: 'lode_pool_difficulty_changes_total',
      help: 'session share-difficulty changes (vardiff, idle, ceiling, suggestion, minimum) by direction (up|down)',
      labelNames: ['coin', 'direction'],
      registers,
    });
    this.blocks = new Counter({
      name: 'lode_pool_blocks_total',
      help: 'block candidates found and submitted, by the submit result (accepted|rejected|error)',
      labelNames: ['coin', 'result'],
      registers,
    });
    this.nodeSeconds = new Histogram({
      name: 'lode_pool_node_rpc_seconds',
      help: "requests of the coin's node client to its node, by JSON-RPC method (getblocktemplate, getblocktemplate:longpoll, submitblock, eth_getWork, ...) or HTTP method and path (GET /chain/mine), to the response headers, seconds",
      labelNames: ['coin', 'method'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.nodeErrors = new Counter({
      name: 'lode_pool_node_rpc_errors_total',
      help: "requests of the coin's node client that failed (unreachable, timed out) or got HTTP >= 400, by method",
      labelNames: ['coin', 'method'],
      registers,
    });
    this.nodeCallSeconds = new Histogram({
      name: 'lode_pool_node_call_seconds',
      help: 'CoinNode calls made by the engine (start: until the first template, stop, submitBlock), seconds',
      labelNames: ['coin', 'call'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.nodeCallErrors = new Counter({
      name: 'lode_pool_node_call_errors_total',
      help: 'CoinNode calls made by the engine that threw, by call',
      labelNames: ['coin', 'call'],
      registers,
    });
    this.bansTotal = new Counter({
      name: 'lode_pool_bans_total',
      help: 'addresses banned, by rule (invalid-shares, malformed-messages, auth-failures, connection-rate, manual)',
      labelNames: ['rule'],
      registers,
    });
    const bannedNow = (): number => this.banList?.list().length ?? 0;
    new Gauge({
      name: 'lode_pool_banned_addresses',
      help: 'addresses banned now',
      registers,
      collect() {
        this.set(bannedNow());
      },
    });
    this.refused = new Counter({
      name: 'lode_pool_refused_connections_total',
      help: 'connections refused before a session, by port and kind (proxy-header, port-full, address-full, admit = banned, tls-handshake)',
      labelNames: ['port', 'kind'],
      registers,
    });
    this.malformedMessages = new Counter({
      name: 'lode_pool_malformed_messages_total',
      help: 'malformed messages from miners, by port and kind (overlong, not-json, not-request, unknown-method, bad-params, notification)',
      labelNames: ['port', 'kind'],
      registers,
    });
    this.escalations = new Counter({
      name: 'lode_pool_reject_escalations_total',
      help: "ckpool's reject escalation steps taken on sessions whose shares are all invalid, by action (resend-work, reconnect, drop)",
      labelNames: ['action'],
      registers,
    });
    // Present from the first scrape, so that dashboards and rate() see zeros.
    this.connectionsTotal.reset();
  }

  /** Counts the ban list's bans by rule and exposes how many addresses are banned now. Ended by `close()`. */
  addBans(bans: BanManager): void {
    this.banList = bans;
    this.subscriptions.push(bans.bans$.subscribe((ban) => this.bansTotal.inc({ rule: ban.rule })));
  }

  /** Counts a port's refused connections by kind (StratumServer `refused$`). Ended by `close()`. */
  addPort(port: string, refused$: Observable<RefusedConnection>): void {
    this.subscriptions.push(refused$.subscribe((r) => this.refused.inc({ port, kind: r.kind })));
  }

  /**
   * Counts one malformed message on `port` by kind (PortProtectionOptions.malformed;
   * kinds: stratum-core MalformedKind).
   */
  malformed(port: string, kind: MalformedKind): void {
    this.malformedMessages.inc({ port, kind });
  }

  /** Counts one reject escalation step (PortProtectionOptions.escalated). */
  escalated(action: EscalationAction): void {
    this.escalations.inc({ action });
  }

  /** Exposes an engine's session and resume-hold counts under `coin`. */
  addEngine(coin: string, engine: PoolEngine): void {
    this.engines.set(coin, engine);
  }

  /** The observer one coin's PoolEngine reports to. */
  engineMetrics(coin: string): EngineMetrics {
    // zero series for the labels every dashboard asks for
    this.shares.inc({ coin, verdict: 'accepted', reason: 'none' }, 0);
    this.blocks.inc({ coin, result: 'accepted' }, 0);
    this.nodeCallErrors.inc({ coin, call: 'submitBlock' }, 0);
    this.vardiff.inc({ coin, direction: 'up' }, 0);
    this.vardiff.inc({ coin, direction: 'down' }, 0);
    // bound once per coin (and per verdict and reason below), not per share
    const validation = this.validation.labels({ coin });
    const shares = new Map<string, Map<string, PendingShares>>();
    return {
      sessionOpened: (dialect) => {
        this.connectionsTotal.inc({ coin, dialect });
        this.connections.inc({ coin, dialect, user_agent: 'none' });
      },
      sessionSubscribed: (dialect, agent) => {
        this.connections.dec({ coin, dialect, user_agent: 'none' });
        this.connections.inc({ coin, dialect, user_agent: this.agents.label(agent) });
      },
      sessionClosed: (dialect, agent) => {
        this.connections.dec({ coin, dialect, user_agent: agent === undefined ? 'none' : this.agents.label(agent) });
      },
      shareJudged: (verdict, reason, seconds) => {
        let byReason = shares.get(verdict);
        if (byReason === undefined) shares.set(verdict, (byReason = new Map()));
        let pending = byReason.get(reason);
        if (pending === undefined) {
          pending = { labels: { coin, verdict, reason }, count: 0 };
          byReason.set(reason, pending);
          this.pendingShares.push(pending);
        }
        pending.count++;
        validation.observe(seconds);
      },
      jobFannedOut: (seconds, sessions, clean) => {
        this.fanout.observe({ coin, clean: String(clean) }, seconds);
        this.fanoutSessions.set({ coin }, sessions);
      },
      difficultyChanged: (from, to) => this.vardiff.inc({ coin, direction: to > from ? 'up' : 'down' }),
      blockSubmitted: (result) => this.blocks.inc({ coin, result }),
      nodeCall: (call, seconds, ok) => {
        this.nodeCallSeconds.observe({ coin, call }, seconds);
        if (!ok) this.nodeCallErrors.inc({ coin, call });
      },
    };
  }

  /**
   * Times the coin plugins' requests to their nodes (template polls, long
   * polls, block submissions) into `lode_pool_node_rpc_seconds` and
   * `lode_pool_node_rpc_errors_total`, by wrapping the global fetch
   * ({@link observeNodeRpc}); the node of each coin is its section's
   * `node.url`. Once per registry; close() unwraps.
   *
   * @param coins the config's coin sections, by coin id
   */
  observeNodeRpc(coins: Readonly<Record<string, unknown>>): void {
    if (this.nodeRpcObserved) return;
    this.nodeRpcObserved = true;
    this.undo.push(
      observeNodeRpc(nodeRpcTargets(coins), (coin, method, seconds, ok) => {
        this.nodeSeconds.observe({ coin, method }, seconds);
        if (!ok) this.nodeErrors.inc({ coin, method });
      }),
    );
  }

  /**
   * Adds the Redis metrics: `lode_pool_redis_op_seconds` and
   * `lode_pool_redis_op_errors_total` (each call of the engine's Redis
   * ports, recorded through the returned function, see timedPort),
   * `lode_pool_redis_command_seconds` and `lode_pool_redis_command_errors_total`
   * (every command of every ioredis client in the process, from ioredis's
   * diagnostics channel), and `lode_pool_redis_spool_depth` read from
   * `spoolDepth()` at scrape time. Registered once: a second call returns
   * the same recorder and keeps the first spoolDepth.
   *
   * @returns the recorder of one port call: op "<port>.<method>", seconds, ok
   */
  observeRedis(spoolDepth: () => number): PortOpRecorder {
    if (this.redisOp === undefined) {
      const registers = [this.registry];
      const buckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];
      const opSeconds = new Histogram({
        name: 'lode_pool_redis_op_seconds',
        help: 'calls of the engine\'s Redis-backed ports by op "<port>.<method>" (shares.record: Redis, or the local spool while Redis is away; duplicates.add, sessions.save, leases.claim, ...), seconds',
        labelNames: ['op'],
        buckets,
        registers,
      });
      const opErrors = new Counter({
        name: 'lode_pool_redis_op_errors_total',
        help: 'calls of the engine\'s Redis-backed ports that rejected, by op',
        labelNames: ['op'],
        registers,
      });
      const commandSeconds = new Histogram({
        name: 'lode_pool_redis_command_seconds',
        help: 'Redis commands of the pool (share log, duplicate index, sessions, leases, template bus, accounting) from write to reply, by lower-case command name; blocking reads left out; seconds',
        labelNames: ['command'],
        buckets,
        registers,
      });
      const commandErrors = new Counter({
        name: 'lode_pool_redis_command_errors_total',
        help: 'Redis commands answered with an error or lost with the connection, by command',
        labelNames: ['command'],
        registers,
      });
      new Gauge({
        name: 'lode_pool_redis_spool_depth',
        help: 'share records in the local spool not yet confirmed by Redis',
        registers,
        collect() {
          this.set(spoolDepth());
        },
      });
      this.undo.push(
        observeRedisCommands((command, seconds, ok) => {
          commandSeconds.observe({ command }, seconds);
          if (!ok) commandErrors.inc({ command });
        }),
      );
      this.redisOp = (op, seconds, ok) => {
        opSeconds.observe({ op }, seconds);
        if (!ok) opErrors.inc({ op });
      };
    }
    return this.redisOp;
  }

  /** Undoes the process-wide hooks of observeNodeRpc and observeRedis and ends the ban and port subscriptions. Idempotent. */
  close(): void {
    for (const undo of this.undo.splice(0)) undo();
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
  }

  /** The exposition text (Prometheus text format 0.0.4) and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
