import type { ForwardCounters } from './upstream-node';

/** One upstream subscription as the stats API shows it. */
export interface SubscriptionSnapshot {
  /** "<upstream>#<n>" */
  id: string;
  /** the upstream's extranonce1, hex */
  extranonce1: string;
  /** the upstream's extranonce2 size, bytes */
  extranonce2Size: number;
  /** bytes of per-miner suffix */
  suffixBytes: number;
  /** miners it can hold, 256^suffixBytes */
  capacity: number;
  /** miners on it now */
  miners: number;
  /** the upstream share difficulty of its newest job (not a target) */
  difficulty?: number;
  /** the version mask negotiated upstream, 8 hex digits */
  versionMask?: string;
  /** false once its link closed or it was retired */
  alive: boolean;
  /** shares forwarded through it and the upstream's answers */
  shares: ForwardCounters;
}

/** One upstream pool as the stats API shows it. */
export interface UpstreamSnapshot {
  name: string;
  url: string;
  coin: string;
  dialect: string;
  priority: number;
  weight: number;
  /** 'up', 'connecting', 'down' or 'stopped' */
  state: string;
  /** ms since epoch since which it is healthy without a break */
  healthySince?: number;
  /** the last connect failure or loss */
  lastFailure?: string;
  /** the newest job's upstream difficulty on its first live subscription */
  difficulty?: number;
  /** the first live subscription's extranonce1, hex */
  extranonce1?: string;
  miners: number;
  subscriptions: SubscriptionSnapshot[];
  /** shares forwarded to this upstream since the proxy started, and its answers */
  shares: ForwardCounters;
}
