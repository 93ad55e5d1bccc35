/**
 * Bitcoin's difficulty-1 target: `0xffff * 2^208`, printed as
 * `00000000ffff0000000000000000000000000000000000000000000000000000`.
 *
 * It is the target of nbits `1d00ffff` and of Stratum difficulty 1; every
 * SHA-256d coin that speaks Stratum v1 uses it as its share diff1.
 *
 * @see facts/bitcoin-stratum.md "Targets"
 */
export const BITCOIN_DIFF1_TARGET: bigint = 0xffffn << 208n;
