import type { EthDialect } from '@lode/dialect-ethstratum';

/**
 * The pool's configuration file, after validation (YAML or JSON; see
 * `pool-config.schema.ts` for every field, its unit and its default).
 */
export interface PoolConfig {
  /** coin plugins to load: package names, or "auto" for every installed dependency that declares one */
  plugins: string[] | 'auto';
  log: {
    /** pino level: trace, debug, info, warn, error */
    level: string;
    /** "pretty": one human line per event; "json": pino's JSON lines */
    format: 'pretty' | 'json';
    /** log every share verdict at info (else at debug) */
    shares: boolean;
    /** seconds between pool statistics lines; 0 = off */
    statsIntervalSeconds: number;
  };
  /** one section per coin id, validated by that coin plugin's own configSchema */
  coins: Record<string, Record<string, unknown>>;
  engine: {
    /** bytes of extranonce1 per session (1..8) */
    extranonce1Size: number;
    /** bytes of extranonce2 miners roll (2..8) */
    extranonce2Size: number;
    /** seconds between job refreshes from the current template */
    jobRefreshSeconds: number;
    /** jobs kept per coin for late shares */
    jobHistory: number;
    /**
     * accepted-stale window in block heights (0 = refuse every stale share);
     * EthereumStratum/2.0.0 answers such shares 202 "Stale" (facts/ethash.md §7.3: 3 to 6)
     */
    acceptStaleHeights: number;
  };
  ports: PortConfig[];
  /**
   * Shared state on Redis (issue 4). Absent: everything stays in memory and
   * this instance is a pool of its own.
   */
  redis?: RedisConfig;
  /** this instance's id in a cluster (share records, leases); default "<hostname>-<pid>" */
  instanceId?: string;
  /** the read API (JSON over HTTP); absent = off */
  api?: {
    host: string;
    port: number;
    /** seconds between two hashrate history samples (docs/api.md "Settings"), default 60 */
    historyIntervalSeconds: number;
    /** hashrate history samples kept per coin, default 1440 */
    historyPoints: number;
    /** serve the dashboard page at /dashboard/, default true */
    dashboard: boolean;
  };
  /** the Prometheus endpoint, GET /metrics (docs/metrics.md); absent = off */
  metrics?: { host: string; port: number };
  /** seconds to wait for in-flight shares at shutdown */
  shutdownGraceSeconds: number;
  /** bans and reject escalation, one ban list for every port (issue 10 "Protection") */
  protection: ProtectionConfig;
}

/**
 * "More than `max` events from one address in `windowSeconds` bans it for
 * `banSeconds`" (@lode/pool-engine BanManager).
 */
export interface RateRuleConfig {
  enabled: boolean;
  /** events allowed per window; one more bans */
  max: number;
  /** sliding window, seconds */
  windowSeconds: number;
  /** ban duration, seconds */
  banSeconds: number;
}

/**
 * The pool's protection (@lode/pool-engine BanManager and RejectEscalation).
 * Addresses are the miners' real ones: the PROXY header's source on ports
 * with `proxyProtocol`. A banned address is refused on connect on every port
 * and its open sessions are closed.
 */
export interface ProtectionConfig {
  /** false: no bans and no escalation */
  enabled: boolean;
  /**
   * addresses and CIDR ranges (IPv4 and IPv6: "10.0.0.0/8", "2001:db8::/32")
   * never banned; default loopback ["127.0.0.0/8", "::1"], since a local
   * proxy without PROXY protocol shows every miner as loopback
   */
  allowList: string[];
  /** addresses counted at once (least recently seen forgotten first); default 65536 */
  maxTrackedAddresses: number;
  /**
   * at least `minShares` shares in `windowSeconds` of which invalid/total >=
   * `maxInvalidRatio` bans the address (rejected shares count as invalid,
   * stale included; "not recorded" does not). Defaults 50 shares, 600 s, 0.5, ban 600 s
   */
  invalidShares: { enabled: boolean; minShares: number; windowSeconds: number; maxInvalidRatio: number; banSeconds: number };
  /** unparseable lines, unknown methods, wrong params; default more than 20 in 60 s bans for 600 s */
  malformedMessages: RateRuleConfig;
  /** refused authorize; default more than 10 in 60 s bans for 600 s */
  authFailures: RateRuleConfig;
  /** new connections per address (all ports); default more than 100 in 10 s bans for 300 s */
  connectionRate: RateRuleConfig;
  /**
   * ckpool's reject escalation (field-notes.md §1.2) for a session whose
   * shares have all been invalid for: `resendWorkSeconds` (the current job
   * again, clean), `reconnectSeconds` (client.reconnect, or the dialect's
   * own), `dropSeconds` (connection closed). 0 skips a step; any valid share
   * starts over. Defaults 60, 120, 180
   */
  escalation: { enabled: boolean; resendWorkSeconds: number; reconnectSeconds: number; dropSeconds: number };
}

/** One listening Stratum port. */
export interface PortConfig {
  name: string;
  host: string;
  port: number;
  coin: string;
  /** the port's Stratum dialect; it must be one of the coin plugin's dialects */
  dialect: 'bitcoin' | 'ethstratum' | 'warthog';
  /**
   * The Ethereum dialects of the port and the EthereumStratum/2.0.0 session
   * settings (specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello"); only
   * for dialect ethstratum
   */
  ethstratum?: {
    /**
     * the dialects served on this one port, told apart by each connection's
     * first message (docs/ethstratum.md "One port, four dialects"): es2
     * EthereumStratum/2.0.0, es1 EthereumStratum/1.0.0 (NiceHash), ethproxy
     * EthProxy, plain ethminer's plain stratum; default all four
     */
    dialects: EthDialect[];
    /** offered in the mining.hello reply; gzip = each line base64(gzip(message)) (stratum-core gzipLineCodec) */
    encoding: 'plain' | 'gzip';
    /** whether sessions may be resumed (mining.subscribe with a session id) */
    resume: boolean;
    /** seconds without a message before the server drops the session (the hello reply's `timeout`) */
    timeoutSeconds: number;
    /** errors the server bears before closing the session (the hello reply's `maxerrors`) */
    maxErrors: number;
    /** the hello reply's `node` (the node software under the pool); default "Lode pool" */
    node?: string;
    /** shortest interval between a worker's mining.hashrate reports, seconds; faster ones get 220 */
    hashrateMinIntervalSeconds: number;
    /** seconds between the server's mining.hashrate notifications to each session; 0 = never */
    hashrateNotifySeconds: number;
  };
  difficulty: {
    /** difficulty (not target) given to new sessions; fractional allowed */
    initial: number;
    /** undefined: fixed difficulty */
    vardiff?: {
      targetShareSeconds: number;
      retargetSeconds: number;
      variancePercent: number;
      min: number;
      max: number;
    };
  };
  /**
   * TLS (stratum+ssl) with a PEM certificate chain and key from files, re-read
   * when either changes (checked every `watchIntervalSeconds`, default 2)
   */
  tls?: { certFile: string; keyFile: string; watchIntervalSeconds?: number };
  /**
   * every connection starts with a PROXY protocol header (HAProxy, a load
   * balancer): 'v1' text, 'v2' binary, 'any' either; its source address is
   * the miner's address for logs, bans and limits. Absent: no header
   */
  proxyProtocol?: 'v1' | 'v2' | 'any';
  /** open connections on this port at most; absent = unlimited */
  maxConnections?: number;
  /** open connections from one address on this port at most; absent = unlimited */
  maxConnectionsPerAddress?: number;
  /**
   * the host name miners reach this port by, sent in EthereumStratum/2.0.0
   * `mining.reconnect` (reject escalation); absent: the port's `host` unless
   * it is a wildcard (0.0.0.0, ::), in which case ES2 sessions skip reconnect
   */
  publicHost?: string;
  /** BIP 310 version rolling on this port (the mask itself is the coin's: coins.<id>.versionRollingMask) */
  versionRolling: {
    /** accept a 6th mining.submit parameter from miners that never sent mining.configure (e.g. rented ASICs) */
    allowWithoutConfigure: boolean;
  };
  /** longest accepted line in bytes */
  maxLineBytes: number;
  /** seconds without a line before the session is closed; 0 = never */
  idleTimeoutSeconds: number;
}

/** Redis settings: every engine port lives there when `url` is set. */
export interface RedisConfig {
  /** redis://host:port[/db] */
  url: string;
  /** key prefix, so several pools can share one Redis */
  prefix: string;
  /** directory of the local spool where share records wait while Redis is unreachable */
  spoolDir: string;
  /** the job bus lease: the holder polls the node; another instance takes over this many seconds after it dies */
  leaseSeconds: number;
  /** extranonce1 bytes that name the instance (1 byte: 256 instances) */
  extranoncePrefixBytes: number;
  /** the share accountant (hashrate, rounds, blocks, reward splits) run by this instance */
  accounting: {
    enabled: boolean;
    scheme: 'pplns' | 'prop' | 'solo';
    /** PPLNS window N, in difficulty units */
    pplnsWindowDifficulty: number;
  };
}
