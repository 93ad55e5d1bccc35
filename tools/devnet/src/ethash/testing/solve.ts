// Test support: finds nonces for a devnet work with the native scanLight,
// using the devnet's own light cache (no second build).
import { loadEthashNative } from '@lode/coin-ethereum';
import type { LightCache } from '@lode/coin-ethereum';
import { hex64 } from '../chain/boundary';
import type { EthashWork } from '../chain/ethash-block';
import type { LightCacheVerifier } from '../verify/light-cache-verifier';

/** A nonce with its mix digest and final hash, hex as eth_submitWork takes them. */
export interface Solution {
  nonce: bigint;
  nonceHex: string;
  mixHex: string;
  finalHex: string;
}

const toSolution = (nonce: bigint, mix: Buffer, final: Buffer): Solution => ({
  nonce,
  nonceHex: `0x${nonce.toString(16).padStart(16, '0')}`,
  mixHex: `0x${mix.toString('hex')}`,
  finalHex: `0x${final.toString('hex')}`,
});

/**
 * The first nonce from `start` whose final hash is <= the work's boundary
 * (`below`) or above it (`!below`), scanning 4 nonces at a time.
 */
export async function solve(verifier: LightCacheVerifier<LightCache>, work: EthashWork, below = true, start = 0n): Promise<Solution> {
  const native = loadEthashNative();
  const { cache, datasetBytes } = await verifier.cacheFor(work.epoch);
  const target = Buffer.from(hex64(work.boundary), 'hex');
  for (let from = start; ; from += 4n) {
    const { hits } = await native.scanLight(cache, datasetBytes, work.sealHash, from, 4, target, 1);
    if (below && hits.length > 0) return toSolution(hits[0].nonce, hits[0].mix, hits[0].final);
    if (!below) {
      const found = new Set(hits.map((h) => h.nonce));
      for (let nonce = from; nonce < from + 4n; nonce++) {
        if (!found.has(nonce)) {
          const { mix, final } = cache.hash(datasetBytes, work.sealHash, nonce);
          return toSolution(nonce, mix, final);
        }
      }
    }
  }
}
