import type { ProxyDialectName } from '../core/subdivision';

/**
 * The proxy's configuration file, after validation (YAML or JSON; see
 * `proxy-config.schema.ts` for every field, its unit and its default).
 */
export interface ProxyConfig {
  /** coin plugins to load: package names, or "auto" for every installed dependency that declares one */
  plugins: string[] | 'auto';
  log: {
    /** pino level: trace, debug, info, warn, error */
    level: string;
    /** "pretty": one human line per event; "json": pino's JSON lines */
    format: 'pretty' | 'json';
    /** log every share verdict at info (else at debug) */
    shares: boolean;
    /** seconds between "proxy stats" lines; 0 = off */
    statsIntervalSeconds: number;
  };
  /** the upstream pools; a port mines on those of its coin and dialect */
  upstreams: UpstreamConfig[];
  /**
   * `proxy`: every upstream connection authorizes with the upstream's own
   * user and password, and every share is credited to it; `passthrough`:
   * each miner's worker name is authorized upstream when it first appears
   * on a connection and its shares are forwarded under that name (not for
   * warthog, whose 4-parameter submit cannot name a worker)
   */
  credentials: 'proxy' | 'passthrough';
  ports: ProxyPortConfig[];
  /** seconds between health checks: reconnect attempts of upstreams that are down, closing of idle extra connections, fail-back */
  healthCheckSeconds: number;
  /** a better-priority upstream must stay healthy this many seconds before miners move back to it */
  failbackSeconds: number;
  /** seconds an upstream may take to connect, subscribe, authorize and send its first job */
  connectTimeoutSeconds: number;
  /** seconds an extra upstream connection may stay without miners before it is closed */
  emptySubscriptionGraceSeconds: number;
  /** sent upstream in mining.subscribe (and answered to client.get_version) */
  userAgent: string;
  /** the stats API (JSON over HTTP); absent = off */
  api?: { host: string; port: number };
  /**
   * the Prometheus endpoint (`GET /metrics`, docs/metrics.md); absent = off.
   * Port 0 takes a free port (the bound URL is logged: "metrics endpoint listening").
   */
  metrics?: { host: string; port: number };
  /** seconds to wait for in-flight forwarded shares at shutdown */
  shutdownGraceSeconds: number;
}

/** One upstream pool. */
export interface UpstreamConfig {
  /** unique name, used in logs and the stats API */
  name: string;
  /** stratum+tcp://host:port (stratum+ssl / stratum+tls for TLS; stratum3+tcp:// for EthereumStratum/2.0.0) */
  url: string;
  user: string;
  password: string;
  /** lower first: miners go to the healthy upstreams of the lowest priority */
  priority: number;
  /** new miners spread over the healthy upstreams of the best priority in proportion to their weights */
  weight: number;
  /** coin id ("btc") */
  coin: string;
  dialect: ProxyDialectName;
  /**
   * TLS of a stratum+ssl / stratum+tls upstream: `caFile` is a PEM file of
   * the CA (or the pool's self-signed certificate) to trust; `insecure`
   * accepts any certificate (test pools only)
   */
  tls?: { caFile?: string; insecure?: boolean };
}

/** One listening downstream port. */
export interface ProxyPortConfig {
  name: string;
  host: string;
  port: number;
  coin: string;
  /** the dialect miners speak here; the port uses the upstreams of the same coin and dialect */
  dialect: ProxyDialectName;
  difficulty: {
    /** difficulty (not target) given to new miners; fractional allowed; capped at the upstream's with vardiff */
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
  /** BIP 310 (bitcoin ports): the mask itself is what each upstream connection negotiated */
  versionRolling: {
    /** accept a 6th mining.submit parameter from miners that never sent mining.configure */
    allowWithoutConfigure: boolean;
  };
  /** longest accepted line in bytes */
  maxLineBytes: number;
  /** seconds without a line before the connection is closed; 0 = never */
  idleTimeoutSeconds: number;
}
