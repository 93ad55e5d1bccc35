export { ETHPROXY_PUSH_METHOD } from './classic-contract';
export type {
  EthClassicAuthorizeRequest,
  EthClassicClientJob,
  EthClassicClientSession,
  EthClassicClientSessionOptions,
  EthClassicDialect,
  EthClassicHashrateRequest,
  EthClassicServerCounters,
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicServerSession,
  EthClassicServerSessionOptions,
  EthClassicSubmitOutcome,
  EthClassicSubmitRequest,
  EthClassicSubscribeRequest,
  EthClassicSubscribeResult,
  EthDialect,
} from './classic-contract';
export {
  ClassicErrorCodes,
  ClassicErrors,
  classicCountsTowardMaxErrors,
  classicError,
  classicRejectionCode,
  classicRejectionEntry,
  classicRejectionError,
} from './classic-errors';
export type { ClassicErrorCode, ClassicErrorEntry } from './classic-errors';
/* The machinery the classic server and client sessions share (src/classic/classic-server-base.ts, classic-client-base.ts) */
export { CLASSIC_UNKNOWN_METHOD_KEY } from './classic-server-base';
export type { ResolvedClassicServerOptions } from './classic-server-base';
export type { ClassicClientCounters } from './classic-client-base';
