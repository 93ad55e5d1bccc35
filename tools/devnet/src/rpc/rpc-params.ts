import { jsonTypeName, rpcError, RpcErrorCode } from './rpc-errors';

/**
 * The RPC error bitcoind gives for a parameter of the wrong JSON type
 * (-3 "JSON value of type string is not of expected type number").
 */
function typeError(value: unknown, expected: string): never {
  throw rpcError(RpcErrorCode.TYPE_ERROR, `JSON value of type ${jsonTypeName(value)} is not of expected type ${expected}`);
}

/** A required string parameter. @throws LodeError('node', code -3) otherwise */
export function stringParam(value: unknown): string {
  if (typeof value !== 'string') typeError(value, 'string');
  return value;
}

/** A required integer parameter. @throws LodeError('node', code -3) when not a number, -8 when not an integer */
export function integerParam(value: unknown, name: string): number {
  if (typeof value !== 'number') typeError(value, 'number');
  if (!Number.isInteger(value)) throw rpcError(RpcErrorCode.INVALID_PARAMETER, `${name} ${value} is not an integer`);
  return value;
}

/** An optional boolean parameter. @throws LodeError('node', code -3) for a non-boolean */
export function booleanParam(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') typeError(value, 'bool');
  return value;
}

/** An optional object parameter. @throws LodeError('node', code -3) for a non-object */
export function objectParam(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) typeError(value, 'object');
  return value as Record<string, unknown>;
}

/**
 * A 32-byte hash parameter in display hex, checked as bitcoind's ParseHashV
 * does.
 *
 * @throws LodeError('node', code -8) "blockhash must be of length 64 (not N, for 'X')" /
 *   "blockhash must be hexadecimal string (not 'X')"
 */
export function hashParam(value: unknown, name: string): string {
  const text = stringParam(value);
  if (text.length !== 64) {
    throw rpcError(RpcErrorCode.INVALID_PARAMETER, `${name} must be of length 64 (not ${text.length}, for '${text.slice(0, 100)}')`);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw rpcError(RpcErrorCode.INVALID_PARAMETER, `${name} must be hexadecimal string (not '${text}')`);
  }
  return text.toLowerCase();
}
