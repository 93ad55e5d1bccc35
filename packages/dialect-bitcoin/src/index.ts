/* Messages: typed shapes and their wire form */
export {
  BitcoinMethods,
  MAX_EXTRANONCE_BYTES,
  decodeDifficultyParams,
  decodeExtranonceParams,
  decodeNotifyParams,
  decodeReconnectParams,
  decodeSubscribeParams,
  decodeSubscribeResult,
  encodeExtranonceParams,
  encodeNotifyParams,
  encodeReconnectParams,
  encodeSubmitParams,
  encodeSubscribeParams,
  encodeSubscribeResult,
  parseDifficulty,
} from './messages';
export type {
  AuthorizeRequest,
  ExtranonceUpdate,
  NotifyParams,
  ReconnectRequest,
  SubmitRequest,
  SubscribeRequest,
  SubscribeResult,
} from './messages';

/* Hex helpers (uint32 <-> 8 hex digits, raw bytes) */
export { hexToUint32, isHexBytes, parseUint32Hex, uint32ToHex } from './hex';

/* Error codes and share rejections */
export { BitcoinErrorCodes, rejectionCode, rejectionToError } from './errors';
export type { ShareRejection } from './errors';

/* Server side (pool, proxy downstream) */
export { BitcoinServerSession, UNKNOWN_METHOD_KEY } from './server/server-session';
export type { BitcoinServerCounters } from './server/server-session';
export type { BitcoinServerHandler, BitcoinServerSessionOptions } from './server/server-handler';

/* Client side (miner, proxy upstream) */
export { BitcoinClientSession } from './client/client-session';
export type { BitcoinClientCounters, BitcoinClientSessionOptions } from './client/client-session';
export type { ClientJob } from './client/client-context';
