/**
 * The exact fraction numerator/denominator of the shortest decimal that JS
 * prints for `value` (`String(0.001)` is "0.001", so 1/1000, not the binary
 * double nearest to it). Internal to the difficulty maths.
 *
 * @param value finite and > 0 (checked by the caller)
 */
export function decimalFraction(value: number): { numerator: bigint; denominator: bigint } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (match === null) {
    // Unreachable for finite positive numbers: String() always yields this shape.
    throw new RangeError(`cannot read ${String(value)} as a decimal`);
  }
  const fraction = match[2] ?? '';
  const digits = BigInt(match[1] + fraction);
  const exponent = Number(match[3] ?? '0') - fraction.length;
  return exponent >= 0
    ? { numerator: digits * 10n ** BigInt(exponent), denominator: 1n }
    : { numerator: digits, denominator: 10n ** BigInt(-exponent) };
}
