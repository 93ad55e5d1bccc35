import type { Observable } from 'rxjs';
import type { RefusedConnection } from '@lode/stratum-core';
import type { ExtranonceMoveReport, PortCounters } from './bitcoin-port';

/**
 * What the composition root needs from a listening port, whatever its
 * dialect (BitcoinPort, EthStratumPort).
 */
export interface StratumPort {
  /** starts listening; resolves with the bound address (port 0 gives a real port) */
  listen(): Promise<{ host: string; port: number }>;
  /** stops accepting new connections; open sessions keep running */
  stopAccepting(): Promise<void>;
  /** closes every open connection with the given reason */
  closeAll(reason: string): void;
  /** open connections */
  readonly connectionCount: number;
  readonly counters: PortCounters;
  /** moves every subscribed session to a new extranonce1 (see BitcoinPort.moveExtranonces) */
  moveExtranonces(): ExtranonceMoveReport;
  /** connections refused before a session (PROXY header, connection limits, bans), with why */
  readonly refused$: Observable<RefusedConnection>;
  /** stops the port's own timers and its ban subscription (after closeAll) */
  dispose?(): void;
}
