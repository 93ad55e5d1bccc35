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
  api?: { host: string; port: number };
  /** the Prometheus endpoint, GET /metrics (docs/metrics.md); absent = off */
  metrics?: { host: string; port: number };
  /** seconds to wait for in-flight shares at shutdown */
  shutdownGraceSeconds: number;
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
  tls?: { certFile: string; keyFile: string };
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
