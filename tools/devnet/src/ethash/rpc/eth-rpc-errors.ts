import { LodeError } from '@lode/stratum-core';

/**
 * The JSON-RPC 2.0 error codes geth answers with (go-ethereum rpc/errors.go);
 * every one of them travels with HTTP status 200.
 */
export const EthRpcErrorCode = {
  /** -32700 "parse error": the body is not JSON */
  PARSE_ERROR: -32700,
  /** -32600 "invalid request": not a JSON-RPC 2.0 request object, or an empty batch */
  INVALID_REQUEST: -32600,
  /** -32601 "the method X does not exist/is not available" */
  METHOD_NOT_FOUND: -32601,
  /** -32602 "invalid argument N: ...", "missing value for required argument N", "too many arguments, want at most N" */
  INVALID_PARAMS: -32602,
  /** -32000: a method's own failure */
  SERVER_ERROR: -32000,
} as const;

/** A geth JSON-RPC error as a LodeError('node') carrying the RPC `code`. */
export function ethRpcError(code: number, message: string): LodeError {
  return new LodeError('node', message, { code });
}

/** -32602 "invalid argument N: reason", geth's wording for a parameter that does not decode. */
export function invalidArgument(index: number, reason: string): LodeError {
  return ethRpcError(EthRpcErrorCode.INVALID_PARAMS, `invalid argument ${index}: ${reason}`);
}
