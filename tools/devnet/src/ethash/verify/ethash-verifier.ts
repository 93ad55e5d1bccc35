import type { EthashEpoch } from '../chain/ethash-epoch';

/** The outcome of hashimoto for one nonce: 32-byte mix digest and 32-byte final hash (big-endian number). */
export interface EthashPowResult {
  mix: Buffer;
  final: Buffer;
}

/**
 * What the devnet needs to judge a sealed work: seeds, light caches per
 * epoch and hashimoto-light. The default is {@link LightCacheVerifier} over
 * the native addon of `@lode/coin-ethereum`; tests of the pure parts inject
 * a fake.
 *
 * The node that is given a verifier owns it and closes it.
 */
export interface EthashVerifier {
  /** keccak256 applied `seedEpoch` times to 32 zero bytes (facts/ethash.md §2.3) */
  seedHash(seedEpoch: number): Buffer;
  /** Resolves once the light cache of `epoch` is built (at once when it already is). */
  prepare(epoch: EthashEpoch): Promise<void>;
  /** Drops every light cache but those of `epochs` (a build in flight finishes and is then dropped). */
  retain(epochs: readonly EthashEpoch[]): void;
  /** hashimoto-light of (sealHash, nonce) with the light cache and dataset size of `epoch`, built first if needed */
  hash(epoch: EthashEpoch, sealHash: Buffer, nonce: bigint): Promise<EthashPowResult>;
  /** Waits for builds in flight and drops every cache. */
  close(): Promise<void>;
}
