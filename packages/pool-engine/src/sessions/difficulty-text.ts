/**
 * A difficulty as a short, exact decimal for messages: exponent notation
 * from 1e6 up and below 1e-4 ("5e15", "1.5e-5"), plain otherwise ("2048",
 * "0.001"). Internal.
 */
export function difficultyText(difficulty: number): string {
  const size = Math.abs(difficulty);
  return size !== 0 && (size >= 1e6 || size < 1e-4) ? difficulty.toExponential().replace('e+', 'e') : String(difficulty);
}
