import { createHash } from 'node:crypto';

const sha256d = (b: Buffer): Buffer => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();

/** `mining.notify` params as they arrive on the wire. */
export type NotifyWire = [string, string, string, string, string[], string, string, string, boolean];

/**
 * Builds the 80-byte header a share describes, written from the byte-order
 * rules in shared/facts/bitcoin-stratum.md only (independent of the pool's
 * own code, on purpose).
 */
export function headerFor(notify: NotifyWire, extranonce1: string, extranonce2: string, ntime: string, nonce: string): Buffer {
  const [, prevhash, coinb1, coinb2, branches, version, nbits] = notify;
  let root = sha256d(Buffer.from(coinb1 + extranonce1 + extranonce2 + coinb2, 'hex'));
  for (const b of branches) root = sha256d(Buffer.concat([root, Buffer.from(b, 'hex')]));
  const prev = Buffer.from(prevhash, 'hex');
  for (let i = 0; i < 32; i += 4) prev.subarray(i, i + 4).reverse();
  const le = (hex: string) => Buffer.from(hex, 'hex').reverse();
  return Buffer.concat([le(version), prev, root, le(ntime), le(nbits), le(nonce)]);
}

/** The hash of a header as a number (little-endian), as Bitcoin compares it with a target. */
export function headerValue(header: Buffer): bigint {
  return BigInt(`0x${Buffer.from(sha256d(header)).reverse().toString('hex')}`);
}

/** Stratum difficulty 1 target, 0xffff * 2^208 (facts/bitcoin-stratum.md "Targets"). */
export const DIFF1 = 0xffffn << 208n;

/**
 * Brute-forces a nonce whose header meets `difficulty` (small difficulties
 * only: expected hashes = difficulty * 2^32).
 */
export function findShare(notify: NotifyWire, extranonce1: string, extranonce2: string, difficulty: number): { nonce: string; header: Buffer } {
  const target = (DIFF1 * 10n ** 12n) / BigInt(Math.round(difficulty * 1e12));
  for (let n = 0; n < 0xffffffff; n++) {
    const nonce = n.toString(16).padStart(8, '0');
    const header = headerFor(notify, extranonce1, extranonce2, notify[7], nonce);
    if (headerValue(header) <= target) return { nonce, header };
  }
  throw new Error('no share found');
}
