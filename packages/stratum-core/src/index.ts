/* Errors */
export { LodeError } from './errors';
export type { LodeErrorKind, LodeErrorOptions } from './errors';

/* Logging */
export { lazyChildLogger, silentLogger } from './logger';
export type { LodeLogger, LodeLogLevel } from './logger';

/* Framing */
export { LineFramer } from './framing/line-framer';
export type { LineFramerOptions } from './framing/line-framer';

/* JSON-RPC */
export { invalidLineShape, jsonRpcMalformedKind, MAX_MALFORMED_METHOD_CHARS, reportJsonRpcErrorReply, reportMalformed } from './rpc/malformed';
export type { InvalidLineShape, MalformedKind, MalformedMessage, MalformedSink } from './rpc/malformed';
export type { RpcCodec, RpcErrorBody, RpcExtraMembers, RpcId, RpcMessage } from './rpc/messages';
export { classicCodec, jsonRpc2Codec } from './rpc/classic-codec';
export type { JsonRpc2CodecOptions } from './rpc/classic-codec';
export { eip1571Codec } from './rpc/eip1571-codec';
export type { Eip1571Params } from './rpc/eip1571-codec';
export { gzipLineCodec } from './rpc/gzip-line-codec';
export type { GzipLineCodecOptions } from './rpc/gzip-line-codec';
export {
  parseFixedHex,
  parseHexBoolean,
  parseHexNumber,
  toFixedHex,
  toHexBoolean,
  toHexNumber,
} from './rpc/eip1571-hex';
export { StratumErrorCodes } from './rpc/stratum-error-codes';
export type { StratumErrorCode } from './rpc/stratum-error-codes';
export { RpcPeer } from './rpc/rpc-peer';
export type {
  IncomingNotification,
  IncomingRequest,
  InvalidLine,
  RpcPeerCounters,
  RpcPeerHandler,
  RpcPeerOptions,
  RpcPeerWatcher,
} from './rpc/rpc-peer';

/* Transport */
export type { CloseInfo, ConnectionCounters, LineSink, LineTransport } from './transport/line-transport';
export type { ConnectionOptions } from './transport/connection-options';
export { StratumConnection } from './transport/stratum-connection';
export { StratumServer } from './transport/stratum-server';
export type {
  AdmitConnection,
  PeerAddress,
  ProxyProtocolMode,
  RefusedConnection,
  StratumServerOptions,
  TlsCertificate,
  TlsCertificateFiles,
  TlsCertificateInfo,
} from './transport/stratum-server';
export { parseProxyHeader, PROXY_V1_MAX_BYTES, PROXY_V2_MAX_BYTES, PROXY_V2_SIGNATURE } from './transport/proxy-header';
export type { ProxyHeader } from './transport/proxy-header';
export { canonicalAddress } from './transport/peer-address';
export { connectStratum } from './transport/connect-stratum';
export type { ClientTlsOptions, ConnectStratumOptions } from './transport/connect-stratum';
export { createLinePair } from './transport/line-pair';
export { FramingTestTransport } from './transport/framing-test-transport';
export type { LinePairOptions } from './transport/line-pair';

/* URLs */
export { parseStratumUrl } from './url/parse-stratum-url';
export type { StratumScheme, StratumUrl } from './url/parse-stratum-url';
export { SniffingTransport } from './transport/sniffing-transport';
export type { SniffingTransportOptions } from './transport/sniffing-transport';
