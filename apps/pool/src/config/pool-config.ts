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
  /** seconds to wait for in-flight shares at shutdown */
  shutdownGraceSeconds: number;
}

/** One listening Stratum port. */
export interface PortConfig {
  name: string;
  host: string;
  port: number;
  coin: string;
  dialect: 'bitcoin';
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
