/* Configuration */
export { loadPoolConfig, parsePoolConfig, validateCoinSection } from './config/load-config';
export type { PoolConfig, PortConfig } from './config/pool-config';
export { poolConfigSchema } from './config/pool-config.schema';

/* Composition */
export { startPool } from './composition/start-pool';
export type { RunningPool } from './composition/start-pool';
export { POOL_CONFIG } from './composition/tokens';

/* Ports */
export { BitcoinPort } from './ports/bitcoin-port';
export type { ExtranonceMoveReport, PortCounters } from './ports/bitcoin-port';
export { toNotifyParams } from './ports/to-notify-params';

/* Logging */
export { createLogger, formatPretty } from './logging/create-logger';

/* Read API */
export { startReadApi } from './api/start-read-api';
export type { RunningReadApi } from './api/start-read-api';
export type { ReadApiOptions } from './api/read-api-options';
export type { AccountingReader, EngineStatsReader } from './api/read-api-sources';
