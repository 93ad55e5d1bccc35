/* Messages: method names, typed shapes and their wire form */
export {
  MAX_EXTRANONCE_BYTES,
  MAX_NAME_LENGTH,
  WARTHOG_EXTRANONCE_BYTES,
  WarthogMethods,
  decodeAuthorizeParams,
  decodeDifficultyParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubmitParams,
  decodeSubscribeParams,
  decodeSubscribeResult,
  encodeAuthorizeParams,
  encodeDifficultyParams,
  encodeNotifyParams,
  encodeReconnectParams,
  encodeSubmitParams,
  encodeSubscribeParams,
  encodeSubscribeResult,
  parseDifficulty,
  parseSubmitFields,
  readSubmitParams,
} from './messages';
export type {
  WarthogAuthorizeRequest,
  WarthogDecodedSubmit,
  WarthogNotifyParams,
  WarthogReconnect,
  WarthogShareSubmission,
  WarthogSubmitFields,
  WarthogSubmitParams,
  WarthogSubmitRequest,
  WarthogSubscribeRequest,
  WarthogSubscribeResult,
} from './messages';

/* Error codes and share rejections */
export { WarthogErrorCodes, rejectionCode, rejectionToError } from './errors';
export type { WarthogShareRejection } from './errors';

/* Server side (pool, proxy downstream) */
export { WARTHOG_UNKNOWN_METHOD_KEY, WarthogServerSession } from './server/server-session';
export type { WarthogServerCounters } from './server/server-session';
export type { WarthogServerHandler, WarthogServerSessionOptions } from './server/server-handler';

/* Client side (miner, proxy upstream) */
export { WarthogClientSession } from './client/client-session';
export type {
  WarthogClientCounters,
  WarthogClientSessionOptions,
  WarthogClientSubmission,
  WarthogSubmitOutcome,
} from './client/client-session';
export type { WarthogClientJob } from './client/client-context';
