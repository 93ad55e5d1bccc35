/* The miner */
export { Miner } from './miner';
export { MINER_VERSION } from './miner-options';
export type { MinerEvent, MinerOptions, MinerStats } from './miner-options';

/* Reconnect backoff */
export { Backoff } from './backoff';
export type { BackoffOptions } from './backoff';

/* Scanning */
export { Extranonce2Counter } from './scan/extranonce2-counter';
export { chunkSize, expectedHashesPerHit } from './scan/chunk-size';
export type { ChunkSizeInput } from './scan/chunk-size';
export { ScanWork, NONCE_RANGE, rolledVersion, submitVersionBits } from './scan/scan-work';
export { VersionBitsCounter } from './scan/version-bits-counter';
export type { ExtranonceAssignment, ScanChunk } from './scan/scan-work';

/* Stats */
export { HashrateMeter } from './stats/hashrate-meter';

/* Command line */
export { runMinerCli } from './cli/run-miner-cli';
export type { MinerCliIo } from './cli/run-miner-cli';

/* Ethash family: the four Ethereum dialects (facts/ethash.md §1) */
export { EthMiner } from './eth/eth-miner';
export type { EthMinerEvent, EthMinerOptions } from './eth/eth-miner';
export { describeEthDialect, ethDialectOfUrl } from './eth/eth-dialect-of-url';
export { SeedEpochs } from './eth/seed-epochs';
