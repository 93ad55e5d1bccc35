/** Nonces a chunk covers when the rate is not measured yet (the first chunk of a run). */
export const FIRST_CHUNK_NONCES = 1 << 20;
/** Fewest nonces a chunk covers, so that the cost of one native call stays small beside its work. */
export const MIN_CHUNK_NONCES = 256;
/** Seconds of work a chunk aims at: long enough to amortize the call, short enough to preempt quickly. */
export const DEFAULT_CHUNK_SECONDS = 0.375;
/** Expected hits per chunk the sizing aims at most, so that an easy share target does not flood the pool. */
export const DEFAULT_MAX_HITS_PER_CHUNK = 32;

/** What {@link chunkSize} decides from. */
export interface ChunkSizeInput {
  /** measured scan rate in hashes per second; undefined before the first chunk */
  hashesPerSecond: number | undefined;
  /** seconds of work one chunk should take; default DEFAULT_CHUNK_SECONDS (0.375 s) */
  chunkSeconds?: number;
  /**
   * hashes expected per hit at the job's share target: 2^256 / (target + 1);
   * see {@link expectedHashesPerHit}
   */
  hashesPerHit: number;
  /** cap on expected hits per chunk; default DEFAULT_MAX_HITS_PER_CHUNK (32) */
  maxHitsPerChunk?: number;
  /** nonces left in the current range (2^32 minus the next nonce), >= 1 */
  remaining: number;
}

/**
 * How many nonces the next scan chunk covers.
 *
 * The scanner checks for new work only between chunks, so a chunk is sized to
 * about `chunkSeconds` of work at the measured rate (the brief: 0.25-0.5 s),
 * then capped so that at most `maxHitsPerChunk` hits are expected, floored at
 * MIN_CHUNK_NONCES, and never past the end of the nonce range.
 *
 * @returns an integer in [1, remaining]
 */
export function chunkSize(input: ChunkSizeInput): number {
  const seconds = input.chunkSeconds ?? DEFAULT_CHUNK_SECONDS;
  const maxHits = input.maxHitsPerChunk ?? DEFAULT_MAX_HITS_PER_CHUNK;
  const rate = input.hashesPerSecond;
  let count = rate === undefined || !(rate > 0) ? FIRST_CHUNK_NONCES : rate * seconds;
  count = Math.min(count, maxHits * input.hashesPerHit);
  count = Math.max(Math.floor(count), MIN_CHUNK_NONCES);
  return Math.max(1, Math.min(count, Math.floor(input.remaining)));
}

const TWO_256 = 2 ** 256;

/**
 * Hashes expected per hit at a share target: 2^256 / (target + 1), as a float
 * (a hash is uniform in [0, 2^256), and a hit is a hash <= target).
 *
 * @param target the share target, 0 <= target < 2^256
 * @returns >= 1
 */
export function expectedHashesPerHit(target: bigint): number {
  // Floats are precise enough here: the result only sizes a chunk.
  return Math.max(1, TWO_256 / Number(target + 1n));
}
