const TWO_256 = 1n << 256n;

/**
 * A difficulty as the decimal fraction its shortest JS spelling means
 * ("0.001" is 1/1000, "1e-7" is 1/10^7), exact.
 */
function decimalFraction(difficulty: number): { numerator: bigint; denominator: bigint } {
  const [mantissa = '0', exponent] = String(difficulty).toLowerCase().split('e');
  const [whole = '0', fraction = ''] = mantissa.split('.');
  const scale = fraction.length - (exponent === undefined ? 0 : Number(exponent));
  const digits = BigInt(whole + fraction);
  return scale >= 0 ? { numerator: digits, denominator: 10n ** BigInt(scale) } : { numerator: digits * 10n ** BigInt(-scale), denominator: 1n };
}

/**
 * The share target of a difficulty: floor(diff1 * q / p) where p/q is the
 * decimal the difficulty's shortest spelling means (0.001 is exactly
 * 1/1000), the way the pool computes it (@lode/mining
 * targetFromDifficulty), so fractional difficulties carry no binary
 * rounding. Clamped to [1, 2^256 - 1].
 *
 * @param difficulty share difficulty, finite and > 0
 * @param diff1 the dialect's difficulty-1 target (Bitcoin 0xffff * 2^208, Warthog 2^256)
 * @throws RangeError for a difficulty that is not a finite number > 0
 * @see facts/bitcoin-stratum.md "Targets" (difficulty 0.001 -> 000003e7fc18 then 52 zeros); facts/warthog.md §3.1
 */
export function targetFromDifficulty(difficulty: number, diff1: bigint): bigint {
  if (!Number.isFinite(difficulty) || difficulty <= 0) throw new RangeError(`difficulty ${difficulty} is not a finite number > 0`);
  const { numerator, denominator } = decimalFraction(difficulty);
  const t = (diff1 * denominator) / numerator;
  return t < 1n ? 1n : t >= TWO_256 ? TWO_256 - 1n : t;
}

/** A target 1/65536 harder than `target`: what the scanner aims at, so that rounding on the pool's side never makes a share miss. */
export function scanTargetOf(target: bigint): bigint {
  return target - (target >> 16n);
}

/** Expected hashes per hit for a target: 2^256 / (target + 1), as a float. */
export function hashesPerHit(target: bigint): number {
  return Number(TWO_256 / (target + 1n));
}

/**
 * The network target of Bitcoin's compact nbits: mantissa * 256^(exponent - 3).
 *
 * @see facts/bitcoin-stratum.md "Targets"
 */
export function targetFromCompact(nbits: number): bigint {
  const exponent = nbits >>> 24;
  const mantissa = BigInt(nbits & 0x007fffff);
  return exponent <= 3 ? mantissa >> BigInt(8 * (3 - exponent)) : mantissa << BigInt(8 * (exponent - 3));
}
