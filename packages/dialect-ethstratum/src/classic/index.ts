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
