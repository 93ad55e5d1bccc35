import type { AccountingReader, EngineStatsReader } from './read-api-sources';

/** Options of {@link startReadApi}. */
export interface ReadApiOptions {
  /** address to bind ("127.0.0.1"; "0.0.0.0" to expose it) */
  host: string;
  /** TCP port, 0 for any free one */
  port: number;
  /** the accounting; answers first for the coins it lists */
  accountant?: AccountingReader;
  /** coin id -> engine, for coins the accountant does not cover (stats and workers only, no blocks) */
  engines?: ReadonlyMap<string, EngineStatsReader>;
  /** value of Access-Control-Allow-Origin (default "*": the API is read-only and public) */
  corsOrigin?: string;
  /** default number of blocks of /api/blocks (default 20) */
  defaultBlockLimit?: number;
  /** largest `limit` accepted by /api/blocks (default 1000) */
  maxBlockLimit?: number;
}
