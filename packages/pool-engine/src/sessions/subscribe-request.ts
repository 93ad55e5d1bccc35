/** The dialect-neutral part of a subscribe (Stratum v1 `mining.subscribe`, EthereumStratum/2.0.0 `mining.subscribe`). */
export interface SubscribeRequest {
  /** the miner's software name and version, as sent ("cpuminer/2.5.1") */
  userAgent?: string;
  /** the session id the miner had before, hex, to resume its extranonce1 (ckpool, field-notes §1.2) */
  sessionId?: string;
}
