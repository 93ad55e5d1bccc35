/** A block the devnet connected to its tip. Hash in display hex; `time` in seconds; size bytes; weight weight units. */
export interface BlockAcceptedEvent {
  height: number;
  hash: string;
  coinbaseTag: string;
  txCount: number;
  time: number;
  size: number;
  weight: number;
}

/** A block `submitblock` refused: bitcoind's reason string, and the block hash when it decoded. */
export interface BlockRejectedEvent {
  reason: string;
  hash?: string;
}

/** The mempool was refreshed: the new transaction count and the new longpollid. */
export interface MempoolRefreshedEvent {
  transactions: number;
  longpollid: string;
}

/** Something worth a log line that is not a failure (e.g. trailing bytes after a submitted block). */
export interface DevnetWarningEvent {
  message: string;
}

/**
 * The events a devnet node emits, as a typed node:events map:
 * `block`, `rejected`, `mempool`, `warning`.
 */
export interface DevnetEventMap {
  block: [BlockAcceptedEvent];
  rejected: [BlockRejectedEvent];
  mempool: [MempoolRefreshedEvent];
  warning: [DevnetWarningEvent];
}
