import { LodeError } from '@lode/stratum-core';

/**
 * bitcoind's RPC error codes that the devnet answers with
 * (Bitcoin Core src/rpc/protocol.h).
 */
export const RpcErrorCode = {
  /** -32600: the request is not a valid JSON-RPC request (HTTP 400) */
  INVALID_REQUEST: -32600,
  /** -32601: no such method (HTTP 404) */
  METHOD_NOT_FOUND: -32601,
  /** -32700: the body is not JSON (HTTP 500) */
  PARSE_ERROR: -32700,
  /** -1: any other failure */
  MISC_ERROR: -1,
  /** -3: a parameter has the wrong JSON type */
  TYPE_ERROR: -3,
  /** -5: the block (or other object) does not exist */
  INVALID_ADDRESS_OR_KEY: -5,
  /** -8: a parameter has a wrong value */
  INVALID_PARAMETER: -8,
  /** -22: hex that does not decode (e.g. "Block decode failed") */
  DESERIALIZATION_ERROR: -22,
} as const;

/** A bitcoind RPC error as a LodeError('node') carrying the RPC `code`. */
export function rpcError(code: number, message: string): LodeError {
  return new LodeError('node', message, { code });
}

/** The JSON type name bitcoind's UniValue uses in its type errors. */
export function jsonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
