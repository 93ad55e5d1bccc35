import { invalidArgument } from './eth-rpc-errors';

// Parameter decoding with go-ethereum's hexutil rules and messages
// (common/hexutil/json.go, hexutil.go; rpc/types.go BlockNumber), so that
// a pool sees against the devnet what it would see against geth.

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

const has0x = (s: string): boolean => s.length >= 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X');

/** Go's json.UnmarshalTypeError text for a hexutil decode error. */
const typeError = (what: string, goType: string): string => `json: cannot unmarshal ${what} into Go value of type ${goType}`;

/**
 * A fixed-size byte parameter, as geth's `hexutil.UnmarshalFixedJSON`:
 * a JSON string, "0x" (or "0X") then exactly 2 * bytes hex digits of either case.
 *
 * @param goType geth's type in its messages: "types.BlockNonce" (8 bytes), "common.Hash" (32)
 * @throws LodeError('node', -32602) e.g. "invalid argument 0: hex string has length 14, want 16 for types.BlockNonce"
 */
export function fixedHexParam(value: unknown, index: number, bytes: number, goType: string): Buffer {
  if (typeof value !== 'string') throw invalidArgument(index, typeError('non-string', goType));
  let digits = value;
  if (value.length > 0) {
    if (!has0x(value)) throw invalidArgument(index, typeError('hex string without 0x prefix', goType));
    digits = value.slice(2);
    if (digits.length % 2 !== 0) throw invalidArgument(index, typeError('hex string of odd length', goType));
  }
  if (digits.length !== 2 * bytes) {
    throw invalidArgument(index, `hex string has length ${digits.length}, want ${2 * bytes} for ${goType}`);
  }
  if (!HEX_DIGITS.test(digits)) throw invalidArgument(index, typeError('invalid hex string', goType));
  return Buffer.from(digits, 'hex');
}

/** The checks of hexutil's `checkNumberText` and `DecodeUint64`; returns an error text or the value. */
function uint64Text(text: string): bigint | string {
  if (!has0x(text)) return 'hex string without 0x prefix';
  const digits = text.slice(2);
  if (digits.length === 0) return 'hex string "0x"';
  if (digits.length > 1 && digits[0] === '0') return 'hex number with leading zero digits';
  if (digits.length > 16) return 'hex number > 64 bits';
  if (!HEX_DIGITS.test(digits)) return 'invalid hex string';
  return BigInt(`0x${digits}`);
}

/**
 * A 64-bit quantity parameter, as geth's `hexutil.Uint64`: a JSON string
 * "0x" + 1 to 16 hex digits without leading zeros ("" decodes to 0).
 *
 * @throws LodeError('node', -32602) e.g. "invalid argument 0: json: cannot unmarshal hex number with leading zero digits into Go value of type hexutil.Uint64"
 */
export function uint64Param(value: unknown, index: number): bigint {
  const goType = 'hexutil.Uint64';
  if (typeof value !== 'string') throw invalidArgument(index, typeError('non-string', goType));
  if (value === '') return 0n;
  const decoded = uint64Text(value);
  if (typeof decoded === 'string') throw invalidArgument(index, typeError(decoded, goType));
  return decoded;
}

/** A block parameter: a number, or one of geth's tags. */
export type BlockTag = number | 'earliest' | 'latest' | 'pending' | 'safe' | 'finalized';

const TAGS = new Set(['earliest', 'latest', 'pending', 'safe', 'finalized']);

/**
 * A block-number parameter, as geth's `rpc.BlockNumber`: "earliest",
 * "latest", "pending", "safe", "finalized" or a hex quantity ("0x1e").
 *
 * @throws LodeError('node', -32602) e.g. "invalid argument 0: hex string without 0x prefix"
 */
export function blockTagParam(value: unknown, index: number): BlockTag {
  // geth strips the quotes of a string and parses anything else as written: 5 -> "5", null -> "null"
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value ?? null);
  if (TAGS.has(text)) return text as BlockTag;
  if (text === '') throw invalidArgument(index, 'empty hex string');
  const decoded = uint64Text(text);
  if (typeof decoded === 'string') throw invalidArgument(index, decoded);
  if (decoded > BigInt(Number.MAX_SAFE_INTEGER)) throw invalidArgument(index, 'block number larger than int64');
  return Number(decoded);
}

/**
 * A boolean parameter, as Go's json into `bool` (null leaves it false).
 *
 * @throws LodeError('node', -32602) "invalid argument 1: json: cannot unmarshal string into Go value of type bool"
 */
export function boolParam(value: unknown, index: number): boolean {
  if (value === null) return false;
  if (typeof value === 'boolean') return value;
  const kind = typeof value === 'object' ? (Array.isArray(value) ? 'array' : 'object') : typeof value;
  throw invalidArgument(index, `json: cannot unmarshal ${kind} into Go value of type bool`);
}
