/**
 * Protocol-level error codes Lode dialects use for input that is not a valid
 * message at all (as opposed to a refused share, which carries the dialect's
 * own code, e.g. Stratum v1 21 "Job not found").
 *
 * The numbering is JSON-RPC 2.0's (jsonrpc.org/specification §5.1 "Error
 * object"); Stratum v1 has no codes of its own for these cases.
 */
export const StratumErrorCodes = {
  /** the line is not JSON */
  PARSE_ERROR: -32700,
  /** JSON, but not a request object (no method, params not an array, bad id) */
  INVALID_REQUEST: -32600,
  /** the method is not one this dialect serves */
  METHOD_NOT_FOUND: -32601,
  /** the method is known but its params are not */
  INVALID_PARAMS: -32602,
} as const;

/** One of the {@link StratumErrorCodes} values. */
export type StratumErrorCode = (typeof StratumErrorCodes)[keyof typeof StratumErrorCodes];
