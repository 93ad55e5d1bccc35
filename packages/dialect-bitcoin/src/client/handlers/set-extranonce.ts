import { decodeExtranonceParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.set_extranonce [extranonce1 hex, extranonce2Size]`: the extranonce
 * for jobs that follow; emitted on `extranonce$` and kept in the session's
 * subscription.
 *
 * @throws LodeError('protocol') if extranonce1 is not hex bytes or the size is not an integer in [0, 32]
 */
export function handleSetExtranonce(ctx: ClientMethodContext, params: unknown[]): true {
  const update = decodeExtranonceParams(params);
  const sub = ctx.state.subscription;
  if (sub !== undefined) ctx.state.subscription = { ...sub, ...update };
  ctx.emitExtranonce(update);
  return true;
}
