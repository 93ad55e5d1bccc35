import type { PortInfo } from './port-info';
import type { AccountingReader, EngineStatsReader } from './read-api-sources';

/** Options of {@link startReadApi}. */
export interface ReadApiOptions {
  /** address to bind ("127.0.0.1"; "0.0.0.0" to expose it) */
  host: string;
  /** TCP port, 0 for any free one */
  port: number;
  /** the accounting; answers first for the coins it lists */
  accountant?: AccountingReader;
  /**
   * coin id -> engine: stats and workers for coins the accountant does not
   * cover, blocks they found (kept in memory), and the hashrate history
   */
  engines?: ReadonlyMap<string, EngineStatsReader>;
  /** the listening Stratum ports, read on each `/api/ports` request (absent: an empty list) */
  ports?: () => readonly PortInfo[];
  /** value of Access-Control-Allow-Origin (default "*": the API is read-only and public) */
  corsOrigin?: string;
  /** default number of blocks of /api/blocks and /api/miners (default 20) */
  defaultBlockLimit?: number;
  /** largest `limit` accepted by /api/blocks and /api/miners; also the blocks kept in memory per coin (default 1000) */
  maxBlockLimit?: number;
  /** default number of workers of /api/workers/:coin (default 500) */
  defaultWorkerLimit?: number;
  /** largest `limit` accepted by /api/workers/:coin (default 10000) */
  maxWorkerLimit?: number;
  /** seconds between two samples of the hashrate history, > 0 (default 60) */
  historyIntervalSeconds?: number;
  /** samples of the hashrate history kept per coin (default 1440: 24 h at 60 s) */
  historyPoints?: number;
  /** serve the dashboard at /dashboard/ (default true) */
  dashboard?: boolean;
  /** directory of the dashboard's files (default apps/pool/src/dashboard, found from the module) */
  dashboardDir?: string;
  /** ms since epoch (default Date.now); for tests */
  clock?: () => number;
}
