import { LodeError, StratumErrorCodes } from '@lode/stratum-core';
import { decodeDifficultyParams } from '../../messages';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.suggest_difficulty` `[difficulty]` -> `true`. Fractional numbers
 * (NerdMiner's 0.0001) and decimal strings ("0.5") are accepted, before or
 * after authorize: ckpool's integer-only, post-authorize parsing is a
 * documented failure (field-notes.md §1.2 issues 1 and 3). The pool decides
 * what to do with it.
 */
export function handleSuggestDifficulty(ctx: ServerMethodContext, params: unknown[]): MethodReply {
  let difficulty: number;
  try {
    difficulty = decodeDifficultyParams('mining.suggest_difficulty', params);
  } catch (err) {
    return fail(StratumErrorCodes.INVALID_PARAMS, LodeError.is(err) ? err.message : String(err));
  }
  try {
    ctx.handler.suggestDifficulty?.(difficulty);
  } catch (err) {
    return handlerFailure(ctx, 'mining.suggest_difficulty', err);
  }
  return ok(true);
}

const LEGACY_FORM = /^mining\.suggest_difficulty\((.*)\)$/;

/**
 * Reads ckpool's legacy method-name form `mining.suggest_difficulty(N)`
 * (bfgminer's `#cksuggest`, field-notes.md §1.2 issue 3) into params `[N]`.
 *
 * @returns the params, or undefined when `method` is not of that form
 */
export function legacySuggestDifficultyParams(method: string): unknown[] | undefined {
  const m = LEGACY_FORM.exec(method);
  return m ? [m[1]] : undefined;
}
