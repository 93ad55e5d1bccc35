/** How many blocks the median time past looks at (the block and its 10 ancestors). */
export const MEDIAN_TIME_SPAN = 11;

/**
 * The median of the last up-to-11 block times (seconds): sorted, the element
 * at index floor(n / 2).
 *
 * @param times block times, any order, the newest block's last; only the last 11 are used
 * @see Bitcoin Core src/chain.h (CBlockIndex::GetMedianTimePast); BIP 113
 */
export function medianTimePast(times: readonly number[]): number {
  const window = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  return window[Math.floor(window.length / 2)];
}
