/**
 * The result of decoding a compact (nBits) number exactly as Bitcoin Core's
 * `arith_uint256::SetCompact` does, with its two flags.
 */
export interface DecodedCompact {
  /** the magnitude, mantissa * 256^(exponent - 3); exact even when `overflow` */
  readonly target: bigint;
  /** the sign bit 0x00800000 was set on a non-zero mantissa */
  readonly negative: boolean;
  /** the value does not fit in 256 bits */
  readonly overflow: boolean;
}
