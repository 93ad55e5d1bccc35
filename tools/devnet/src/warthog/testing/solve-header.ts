// Test support: finds nonces for a Warthog header with the native scan of
// @lode/coin-warthog (hits: Y >= 0.005 and J < τ, the node's block check).
import { loadWarthogNative } from '@lode/coin-warthog';

const CHUNK = 1024;

/** τ · 2^256 of a TargetV2 as 32 bytes big-endian: bits22 << (234 - zeros10) (facts/warthog.md §3.1). */
export function scanTarget(targetV2: number): Buffer {
  const zeros = Math.floor(targetV2 / 2 ** 22);
  const bits = BigInt(targetV2 % 2 ** 22);
  return Buffer.from((bits << BigInt(234 - zeros)).toString(16).padStart(64, '0'), 'hex');
}

/**
 * A copy of `header` with the first nonce from `start` that meets `targetV2`
 * (`valid`) or fails it (`!valid`), the nonce written big-endian into bytes 76..80.
 */
export async function solveHeader(header: Buffer, targetV2: number, valid = true, start = 0): Promise<Buffer> {
  const native = loadWarthogNative();
  const target = scanTarget(targetV2);
  for (let from = start; from + CHUNK <= 2 ** 32; from += CHUNK) {
    const { hits } = await native.scan({ header, startNonce: from, count: CHUNK, target, threads: 1 });
    let nonce: number | undefined;
    if (valid) nonce = hits[0]?.nonce;
    else {
      const found = new Set(hits.map((h) => h.nonce));
      for (let n = from; n < from + CHUNK && nonce === undefined; n++) if (!found.has(n)) nonce = n;
    }
    if (nonce !== undefined) {
      const solved = Buffer.from(header);
      solved.writeUInt32BE(nonce, 76);
      return solved;
    }
  }
  throw new Error(`no ${valid ? 'valid' : 'invalid'} nonce from ${start}`);
}
