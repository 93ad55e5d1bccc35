import { difficultyFromTarget, targetFromDifficulty } from '@lode/mining';
import { PluginConformanceError, attempt } from './plugin-conformance-error';

/** Difficulties checked when the fixture names none (those whose target would pass 2^256 are left out). */
export const DEFAULT_DIFFICULTIES: readonly number[] = [1, 1000, 0.001, 123456.789];
/** The largest relative error a difficulty may come back with. */
export const DIFFICULTY_TOLERANCE = 1e-9;

const TARGET_LIMIT = 2n ** 256n;

/**
 * The difficulties to round-trip: the fixture's, else the defaults whose
 * exact target diff1Target / d fits in 256 bits (a coin whose difficulty 1
 * is target 2^256, as ethash and Warthog, cannot express difficulty 0.001).
 */
export function difficultiesOf(given: readonly number[] | undefined, diff1Target: bigint): number[] {
  if (given !== undefined) return [...given];
  return DEFAULT_DIFFICULTIES.filter((d) => Number(diff1Target) / d <= 2 ** 256);
}

/**
 * targetFromDifficulty(d, diff1Target) then difficultyFromTarget(...) must
 * give d back within 1e-9 relative, with a target in (0, 2^256).
 *
 * @throws PluginConformanceError naming the difficulty, the target and what
 *   diff1Target must be
 */
export function checkDifficultyRoundTrip(difficulty: number, diff1Target: bigint): void {
  const target = attempt(`targetFromDifficulty(${difficulty}, diff1Target)`, () => targetFromDifficulty(difficulty, diff1Target));
  if (target <= 0n || target >= TARGET_LIMIT) {
    throw new PluginConformanceError(
      `difficulty ${difficulty} gives target 0x${target.toString(16)}, outside (0, 2^256): diff1Target 0x${diff1Target.toString(16)} must be the coin's difficulty-1 target`,
    );
  }
  const back = attempt('difficultyFromTarget(target, diff1Target)', () => difficultyFromTarget(target, diff1Target));
  const error = Math.abs(back - difficulty) / difficulty;
  if (!(error <= DIFFICULTY_TOLERANCE)) {
    throw new PluginConformanceError(
      `difficulty ${difficulty} -> target 0x${target.toString(16)} -> difficulty ${back} (relative error ${error} > ${DIFFICULTY_TOLERANCE}): diff1Target 0x${diff1Target.toString(16)} must be the coin's difficulty-1 target, large enough that diff1Target / difficulty keeps its precision`,
    );
  }
}
