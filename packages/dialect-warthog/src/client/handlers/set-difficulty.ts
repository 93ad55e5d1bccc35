import { decodeDifficultyParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.set_difficulty [difficulty]`: staged for the next job, never
 * applied to jobs already received. Fractions are kept as sent.
 *
 * @throws LodeError('protocol') unless the difficulty is a finite number > 0 (or a decimal string)
 */
export function handleSetDifficulty(ctx: ClientMethodContext, params: unknown[]): true {
  ctx.state.difficulty = decodeDifficultyParams('mining.set_difficulty', params);
  return true;
}
