import type { ShareSubmission } from '@lode/plugin-api';

/** Lower-case hex digits as bytes, for shareKey. */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** '|' */
const BAR = 0x7c;
/** shareKey's text is written here, then read out as one string. */
let keyScratch = Buffer.allocUnsafe(128);

/**
 * en1‖en2|ntime|nonce|versionBits, hex; absent version bits are 0 (the same
 * header as rolling none). extranonce1 and extranonce2 are joined: what
 * counts is the bytes they make together, not where a dialect splits them
 * (ethash: ES1's `a2eea0`+`cfae7df760` and EthProxy's whole nonce
 * `a2eea0cfae7df760` are the same share).
 *
 * The same text as `${en1.toString('hex')}${en2.toString('hex')}|${hex32(ntime)}|...`,
 * written as ASCII into a scratch buffer and decoded once: one flat string,
 * no intermediate ones (it becomes a key of the duplicate index's Set).
 */
export function shareKey(share: ShareSubmission): string {
  const { extranonce1, extranonce2 } = share;
  const length = 2 * (extranonce1.length + extranonce2.length) + 3 * 9;
  if (keyScratch.length < length) keyScratch = Buffer.allocUnsafe(length);
  const out = keyScratch;
  let at = putHex(out, 0, extranonce1);
  at = putHex(out, at, extranonce2);
  out[at++] = BAR;
  at = putHex32(out, at, share.ntime);
  out[at++] = BAR;
  at = putHex32(out, at, share.nonce);
  out[at++] = BAR;
  at = putHex32(out, at, share.versionBits ?? 0);
  return out.toString('latin1', 0, at);
}

/** Writes `bytes` as lower-case hex at `at`; returns the offset after it. */
function putHex(out: Buffer, at: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    out[at++] = HEX_DIGITS[byte >>> 4] as number;
    out[at++] = HEX_DIGITS[byte & 15] as number;
  }
  return at;
}

/** Writes hex32(value) (8 digits of the uint32 `value >>> 0`) at `at`; returns the offset after it. */
function putHex32(out: Buffer, at: number, value: number): number {
  const word = value >>> 0;
  for (let shift = 28; shift >= 0; shift -= 4) out[at++] = HEX_DIGITS[(word >>> shift) & 15] as number;
  return at;
}
