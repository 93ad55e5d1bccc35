import { LodeError } from '@lode/stratum-core';

/**
 * Converts doubles into integers on one common scale, exactly: every finite
 * double is m * 2^e with integer m, so value_i = n_i * 2^-s for the smallest
 * exponent s among them. Ratios (and sums) of the results are the exact
 * ratios (and sums) of the inputs, with no rounding at all. Internal to the
 * reward splits.
 *
 * @param values finite numbers >= 0
 * @param what what the numbers are, for the error message
 * @throws LodeError('share') when a value is negative, NaN or infinite
 */
export function exactDifficulties(values: readonly number[], what: string): bigint[] {
  const parts = values.map((value, index) => {
    if (!Number.isFinite(value) || value < 0) {
      throw new LodeError('share', `${what} #${index} is ${value}; a difficulty must be finite and >= 0`);
    }
    return decompose(value);
  });
  let lowest = 0;
  for (const p of parts) if (p.mantissa !== 0n && p.exponent < lowest) lowest = p.exponent;
  return parts.map((p) => p.mantissa << BigInt(p.exponent - lowest));
}

/** value = mantissa * 2^exponent, read from the IEEE 754 bits */
function decompose(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  // Subnormals have no implicit leading 1 and the smallest exponent.
  let mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  let exponent = biased === 0 ? -1074 : biased - 1075;
  // Dropping trailing zero bits keeps the common scale (and the bigints) small.
  while (mantissa !== 0n && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent += 1;
  }
  return { mantissa, exponent };
}
