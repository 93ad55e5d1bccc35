/**
 * The largest 256-bit target, `2^256 - 1`: every hash meets it. Targets
 * computed by this package are clamped to `[1, MAX_TARGET]`.
 */
export const MAX_TARGET: bigint = 2n ** 256n - 1n;
