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

/* BIP 310 mining.configure: messages, the extension registry and its extensions */
export {
  ExtensionCodes,
  MAX_CONFIGURE_CODES,
  decodeConfigureParams,
  decodeVersionMaskParams,
  encodeVersionMaskParams,
} from './configure/configure-messages';
export type { ConfigureParams, ConfigureRequest, ConfigureResult, MinerInfo } from './configure/configure-messages';
export { readExtensionResult } from './configure/configure-extension';
export type {
  ConfigureClientPart,
  ConfigureExtension,
  ConfigureServerContext,
  ConfigureSessionState,
  ExtensionAnswer,
  ExtensionParams,
  ExtensionResult,
  NegotiatedVersionRolling,
  ReceivedAnswer,
} from './configure/configure-extension';
export { ConfigureRegistry, defaultConfigureExtensions } from './configure/registry';
export { bitCount, effectiveVersionMask, parseMinBitCount, versionRollingExtension } from './configure/version-rolling';
export { minimumDifficultyExtension } from './configure/minimum-difficulty';
export { subscribeExtranonceExtension } from './configure/subscribe-extranonce';
export { MAX_INFO_LENGTH, infoExtension } from './configure/info';
export { unpublishedExtensions } from './configure/unpublished';

/* Hex helpers (uint32 <-> 8 hex digits, raw bytes) */
export { hexToUint32, isHexBytes, parseUint32Hex, uint32ToHex } from './hex';

/* Error codes and share rejections */
export { BitcoinErrorCodes, rejectionCode, rejectionToError } from './errors';
export type { ShareRejection } from './errors';

/* Server side (pool, proxy downstream) */
export { BitcoinServerSession, UNKNOWN_METHOD_KEY } from './server/server-session';
export type { BitcoinServerCounters } from './server/server-session';
export type { BitcoinServerHandler, BitcoinServerSessionOptions, VersionRollingOptions } from './server/server-handler';

/* Client side (miner, proxy upstream) */
export { BitcoinClientSession } from './client/client-session';
export type { BitcoinClientCounters, BitcoinClientSessionOptions } from './client/client-session';
export type { ClientJob } from './client/client-context';
