import { LodeError } from '@lode/stratum-core';

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * True when `text` is non-empty, of even length and only hex digits: the
 * test bitcoind's `IsHex` applies before decoding a block.
 *
 * @see Bitcoin Core src/util/strencodings.cpp (IsHex)
 */
export function isHex(text: string): boolean {
  return text.length > 0 && HEX.test(text);
}

/**
 * Decodes hex digits into raw bytes, with no reversal.
 *
 * @param text even-length hex (upper or lower case); `what` names it in the error
 * @throws LodeError('protocol') when `text` is not hex of even length
 */
export function bytesFromHex(text: string, what = 'hex string'): Buffer {
  if (!HEX.test(text)) {
    throw new LodeError('protocol', `${what} "${text.slice(0, 80)}" is not hex digits of even length`);
  }
  return Buffer.from(text, 'hex');
}

/**
 * A 32-byte hash in display order (reversed, as RPC and explorers print it)
 * from its internal bytes.
 *
 * @see facts/bitcoin-stratum.md "Byte orders" rule 1
 */
export function displayHex(internal: Uint8Array): string {
  return Buffer.from(internal).reverse().toString('hex');
}

/**
 * The internal bytes of a hash given in display order (64 hex digits).
 *
 * @throws LodeError('protocol') when `display` is not 64 hex digits
 */
export function internalFromDisplay(display: string): Buffer {
  if (display.length !== 64) {
    throw new LodeError('protocol', `hash "${display.slice(0, 80)}" is ${display.length} hex digits, a hash is 64`);
  }
  return bytesFromHex(display, 'hash').reverse();
}
