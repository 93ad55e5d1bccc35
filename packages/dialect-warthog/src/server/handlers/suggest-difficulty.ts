import { decodeDifficultyParams } from '../../messages';
import { handlerFailure, invalidParams, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.suggest_difficulty` `[difficulty]` -> `true`. A fractional number or
 * a decimal string is accepted, before or after authorize; anything not
 * finite and > 0 -> -32602. The pool's optional hook decides what to do with
 * it (share target = 1/difficulty).
 */
export function handleSuggestDifficulty(ctx: ServerMethodContext, params: unknown[]): MethodReply {
  let difficulty: number;
  try {
    difficulty = decodeDifficultyParams('mining.suggest_difficulty', params);
  } catch (err) {
    return invalidParams(err);
  }
  try {
    ctx.handler.suggestDifficulty?.(difficulty);
  } catch (err) {
    return handlerFailure(ctx, 'mining.suggest_difficulty', err);
  }
  return ok(true);
}
