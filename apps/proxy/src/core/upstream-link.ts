import type { DialectWork } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { Observable } from 'rxjs';

/**
 * One job as an upstream pool sent it, dialect-neutral: the proxy's
 * downstream jobs carry the same id and work, so that a forwarded share
 * needs no job-id mapping (each upstream subscription has its own engine).
 */
export interface UpstreamJob {
  /** the upstream's job id */
  jobId: string;
  /** the work as the coin plugin's buildHeader reads it (bitcoin, ethstratum or warthog work) */
  work: DialectWork;
  /** the upstream's clean flag: older jobs are stale */
  clean: boolean;
  /**
   * the upstream share target bound to this job (the difficulty in force
   * when the job arrived, as a target of the coin's diff1: 2^256-style
   * integer, DESIGN.md "Difficulty belongs to the job")
   */
  target: bigint;
  /** the block height when the dialect says it (ethstratum notify), else undefined */
  height?: number;
}

/** A share to forward upstream, in the upstream's own extranonce space. */
export interface UpstreamShare {
  /** the upstream's job id */
  jobId: string;
  /**
   * the upstream's extranonce2 (bitcoin, warthog) or nonce suffix
   * (ethstratum): the miner's per-proxy suffix of extranonce1 followed by
   * the miner's extranonce2
   */
  extranonce2: Buffer;
  /** uint32 seconds (0 for ethstratum) */
  ntime: number;
  /** uint32 (0 for ethstratum, whose nonce is in extranonce2) */
  nonce: number;
  /** BIP 310 version bits, bitcoin only */
  versionBits?: number;
  /** the worker to credit upstream (credentials passed through per miner); absent = the link's own user */
  workerName?: string;
}

/** The upstream's answer to a forwarded share. */
export interface UpstreamVerdict {
  accepted: boolean;
  /** true when accepted as stale (EthereumStratum/2.0.0 2xx) */
  stale?: boolean;
  /** the upstream's error text when refused */
  reason?: string;
}

/**
 * One subscribed and authorized connection to an upstream pool, of any
 * dialect. Created by a dialect's {@link UpstreamConnector}; ended by
 * `close` or by the upstream (then `closed$` emits once).
 */
export interface UpstreamLink {
  /** the upstream's config name */
  readonly name: string;
  readonly dialect: 'bitcoin' | 'ethstratum' | 'warthog';
  /** the extranonce1 (ethstratum: the `mining.set` extranonce) the upstream gave this subscription */
  readonly extranonce1: Buffer;
  /** bytes of extranonce2 (ethstratum: of the nonce after the extranonce) the upstream expects */
  readonly extranonce2Size: number;
  /** the version mask negotiated upstream (bitcoin, BIP 310); undefined when none */
  readonly versionMask: number | undefined;
  /** the upstream's jobs, each with its own target; replays the latest to a new subscriber */
  readonly jobs$: Observable<UpstreamJob>;
  /** `mining.set_version_mask` from upstream (bitcoin) */
  readonly versionMask$: Observable<number>;
  /** the upstream moved this subscription to another extranonce (set_extranonce / mining.set extranonce) */
  readonly extranonce$: Observable<{ extranonce1: Buffer; extranonce2Size: number }>;
  /** emits the reason once when the connection ends, then completes */
  readonly closed$: Observable<string>;
  /** forwards one share; rejects with LodeError('connection') when the link is gone */
  submit(share: UpstreamShare): Promise<UpstreamVerdict>;
  /**
   * Authorizes one more worker on this connection (`mining.authorize`), for
   * credentials passed through per miner; optional: a dialect that cannot
   * name a worker per share (warthog's 4-parameter submit) leaves it out.
   *
   * @returns true when the upstream accepted the worker
   * @throws LodeError('connection') when the link is gone
   */
  authorizeWorker?(workerName: string, password: string): Promise<boolean>;
  /** ends the connection (idempotent) */
  close(reason: string): void;
}

/** How to reach one upstream pool (from the proxy config). */
export interface UpstreamEndpoint {
  name: string;
  /** stratum+tcp://host:port (+ssl/+tls); stratum3+tcp:// for EthereumStratum/2.0.0 */
  url: string;
  user: string;
  password: string;
  /** TLS settings for a stratum+ssl / stratum+tls URL (default: verify against the system CAs) */
  tls?: { rejectUnauthorized?: boolean; ca?: Buffer };
}

/**
 * Opens, subscribes and authorizes one upstream connection of a dialect
 * (bitcoin: mining.configure with the widest version mask, subscribe,
 * extranonce.subscribe, authorize; ethstratum: hello, subscribe, authorize;
 * warthog: subscribe, authorize), and resolves once the first job arrived.
 *
 * @throws LodeError('connection') when the upstream cannot be reached or refuses
 */
export type UpstreamConnector = (
  endpoint: UpstreamEndpoint,
  options: { diff1Target: bigint; logger: LodeLogger; connectTimeoutMs: number; userAgent: string },
) => Promise<UpstreamLink>;
