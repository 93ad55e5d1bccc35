const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s'];

/**
 * Formats a hash rate with a decimal unit and two decimals: 12345678 ->
 * "12.35 MH/s", 950 -> "950.00 H/s". Units step by 1000 (k, M, G, T, P, E).
 *
 * @param hashesPerSecond hashes per second, >= 0 (anything else prints as "0.00 H/s")
 */
export function formatHashrate(hashesPerSecond: number): string {
  let value = Number.isFinite(hashesPerSecond) && hashesPerSecond > 0 ? hashesPerSecond : 0;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(2)} ${UNITS[unit]}`;
}
