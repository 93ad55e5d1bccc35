/* Messages: method names, constants, typed shapes and their wire form */
export { DEFAULT_ALGO, DEFAULT_TARGET, ETH_STRATUM_PROTO, EthMethods, MAX_EXTRANONCE_BYTES, NONCE_BYTES } from './messages/methods';
export { MAX_HELLO_STRING, decodeHelloResult, encodeHelloParams, encodeHelloResult } from './messages/hello';
export type { EthHelloRequest, EthHelloResult } from './messages/hello';
export { checkExtranonce, decodeSetParams, encodeSetParams } from './messages/mining-set';
export type { EthMiningSet } from './messages/mining-set';
export { MAX_JOB_ID_LENGTH, decodeNotifyParams, encodeNotifyParams } from './messages/notify';
export type { EthNotifyParams } from './messages/notify';
export { decodeReconnectParams, encodeReconnectParams } from './messages/reconnect';
export type { EthReconnect } from './messages/reconnect';
export { decodePoolHashrateParams, encodePoolHashrateParams } from './messages/pool-hashrate';
export type { EthPoolHashrate } from './messages/pool-hashrate';
export { readLenientBoolean, readLenientHex, readLenientSafeInteger } from './messages/lenient-hex';
export type { EthCloseInfo } from './close-info';

/* Error codes and share rejections */
export { EthStratumErrors, countsTowardMaxErrors, ethError, rejectionEntry, rejectionToError } from './errors';
export type { EthErrorEntry, EthShareRejection } from './errors';

/* Server side (pool, proxy downstream) */
export { ETH_UNKNOWN_METHOD_KEY, EthStratumServerSession } from './server/server-session';
export type { EthServerJob, EthStratumServerCounters } from './server/server-session';
export type {
  EthAuthorizeRequest,
  EthHashrateRequest,
  EthStratumServerHandler,
  EthStratumServerSessionOptions,
  EthSubmitRequest,
  EthSubscribeRequest,
  EthSubscribeResult,
} from './server/server-handler';
export type { ResolvedServerOptions } from './server/method-context';
export { MAX_WORKER_NAME } from './server/handlers/authorize';

/* Client side (miner, proxy upstream) */
export { EthStratumClientSession } from './client/client-session';
export type {
  EthStratumClientCounters,
  EthStratumClientSessionOptions,
  EthSubmitOutcome,
  EthSubscription,
} from './client/client-session';
export type { EthClientJob, EthStagedSet } from './client/client-context';

/* EthereumStratum/1.0.0, EthProxy and plain stratum (facts/ethash.md §1.1, §1.2, §1.4), and detection on one port */
export * from './classic';
export * from './es1';
export * from './ethproxy';
export * from './plain';
export * from './detect';
