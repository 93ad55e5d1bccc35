import { LodeError } from '../errors';

// The value as it appears in an error message, cut short so a hostile line cannot flood a log.
function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const HEX_NUMBER = /^(?:0|[1-9a-f][0-9a-f]*)$/;
const FIXED_HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * Encodes a non-negative integer as an EIP-1571 hex number: lower case, no
 * `0x`, no leading zeros; 0 is `"0"`. Example: 456 -> `"1c8"`.
 *
 * @param n an integer >= 0; a `number` must be a safe integer (use a bigint beyond 2^53 - 1)
 * @throws LodeError('protocol') for a negative, fractional, non-finite or unsafe number, or a negative bigint
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (Hex values, Hex values casing, Numbers); facts/ethash.md §1.3
 */
export function toHexNumber(n: number | bigint): string {
  if (typeof n === 'bigint') {
    if (n < 0n) throw new LodeError('protocol', `hex number ${show(n)} is negative, expected an integer >= 0`);
    return n.toString(16);
  }
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new LodeError(
      'protocol',
      `hex number ${show(n)} is not a safe integer >= 0 (fractions are not hex numbers; use a bigint beyond 2^53 - 1)`,
    );
  }
  return n.toString(16);
}

/**
 * Reads an EIP-1571 hex number strictly: a string of lower-case hex digits,
 * no `0x`, no leading zeros except `"0"` itself. `"1c8"` -> 456n; `"01c8"`,
 * `"1C8"`, `"0x1c8"` and `""` are refused. Hashes and extranonces keep their
 * zeros: read them with {@link parseFixedHex}.
 *
 * @returns the value as a bigint (convert with Number() when it is known to be small)
 * @throws LodeError('protocol') naming the value when it is not such a string
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (Hex values, Hex values casing); facts/ethash.md §1.3
 */
export function parseHexNumber(text: unknown): bigint {
  if (typeof text !== 'string' || !HEX_NUMBER.test(text)) {
    throw new LodeError(
      'protocol',
      `expected a hex number (lower-case digits, no 0x, no leading zeros), got ${show(text)}`,
    );
  }
  return BigInt(`0x${text}`);
}

/**
 * Encodes a boolean the EIP-1571 way: `"1"` for true, `"0"` for false.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (JSON values booleans)
 */
export function toHexBoolean(b: boolean): '0' | '1' {
  return b ? '1' : '0';
}

/**
 * Reads an EIP-1571 boolean: exactly `"1"` (true) or `"0"` (false). JSON
 * `true`/`false` are refused (the codec already refuses them in any message).
 *
 * @throws LodeError('protocol') naming the value for anything else
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (JSON values booleans)
 */
export function parseHexBoolean(text: unknown): boolean {
  if (text === '1') return true;
  if (text === '0') return false;
  throw new LodeError('protocol', `expected a hex boolean "0" or "1", got ${show(text)}`);
}

/**
 * Encodes bytes (a hash, an extranonce, a miner nonce) as lower-case hex
 * with every digit kept, two per byte, no `0x`. An empty buffer gives `""`
 * (`mining.set` cancels the extranonce with it).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (the zeros rule does not apply to hashes and extranonces)
 */
export function toFixedHex(buf: Buffer): string {
  return buf.toString('hex');
}

/**
 * Reads bytes sent as hex with every digit kept (hashes, extranonces, miner
 * nonces): an even number of hex digits, no `0x`. Upper-case digits are
 * accepted because the spec exempts hashes from the lower-case rule;
 * {@link toFixedHex} always writes lower case. `""` is 0 bytes.
 *
 * @param bytes when given, the exact length in bytes the value must have
 * @returns the bytes, in the order written
 * @throws LodeError('protocol') naming the value when it is not such a string,
 *   or when it is not `bytes` long ("extranonce ... is 3 bytes, expected 2")
 * @see specs/003_fafafa51dc5fa36a.txt "Conventions" (Hex values, Hex values casing), "A detail of extranonce"
 */
export function parseFixedHex(text: unknown, bytes?: number): Buffer {
  if (typeof text !== 'string' || !FIXED_HEX.test(text)) {
    throw new LodeError(
      'protocol',
      `expected hex bytes (an even number of hex digits, no 0x), got ${show(text)}`,
    );
  }
  const length = text.length / 2;
  if (bytes !== undefined && length !== bytes) {
    throw new LodeError('protocol', `hex value ${show(text)} is ${length} bytes, expected ${bytes}`);
  }
  return Buffer.from(text, 'hex');
}
