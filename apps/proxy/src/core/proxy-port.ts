import type { CoinPlugin } from '@lode/plugin-api';
import type { LodeLogger } from '@lode/stratum-core';
import type { ProxyPortConfig } from '../config/proxy-config';
import type { Router } from './router';

/** Counters of one downstream port, monotonically increasing. */
export interface ProxyPortCounters {
  connectionsTotal: number;
  /** shares the proxy accepted (at the miner's own target) */
  sharesAccepted: number;
  sharesRejected: number;
}

/** One miner connection as the stats API shows it. */
export interface MinerSnapshot {
  /** connection id */
  id: string;
  /** the port's name */
  port: string;
  remoteAddress: string;
  userAgent?: string;
  /** workers authorized on the connection */
  workers: string[];
  /** the upstream (group) name, undefined before subscribe */
  upstream?: string;
  /** the subscription id ("<upstream>#<n>") */
  subscription?: string;
  /** the miner's extranonce1 (upstream extranonce1 ‖ suffix), hex */
  extranonce1?: string;
  /** bytes of extranonce2 the miner rolls */
  extranonce2Size?: number;
  /** current share difficulty (not a target) */
  difficulty?: number;
  /** shares accepted / rejected by the proxy on this connection */
  accepted: number;
  rejected: number;
  /** estimated hashrate over the stats window, H/s (credited difficulty) */
  hashrate: number;
  /** true when the miner takes extranonce changes without reconnecting */
  extranonceSubscribed: boolean;
  /** connected since, ms since epoch */
  connectedAt: number;
}

/** What a dialect's port is built from. */
export interface ProxyPortContext {
  config: ProxyPortConfig;
  /** the router of the port's coin and dialect */
  router: Router;
  /** the coin's own plugin (its diff1Target for the per-miner hashrate) */
  plugin: CoinPlugin;
  logger: LodeLogger;
  /** log every share verdict at info (else debug) */
  logShares: boolean;
  credentials: 'proxy' | 'passthrough';
  tls?: { cert: Buffer; key: Buffer };
}

/**
 * One listening downstream port of a dialect: each connection = RpcPeer +
 * the dialect's server session + a MinerSession from the subscription the
 * router picks (DownstreamMiner for failover).
 */
export interface ProxyPort {
  readonly name: string;
  /** starts listening; resolves with the bound address (port 0 gives a real port) */
  listen(): Promise<{ host: string; port: number }>;
  /** stops accepting new connections; open ones keep running */
  stopAccepting(): Promise<void>;
  /** closes every open connection with the reason */
  closeAll(reason: string): void;
  /** open connections */
  readonly connectionCount: number;
  readonly counters: ProxyPortCounters;
  /** one snapshot per open connection */
  miners(): MinerSnapshot[];
  /** stops the port's own timers (after closeAll) */
  dispose?(): void;
}
