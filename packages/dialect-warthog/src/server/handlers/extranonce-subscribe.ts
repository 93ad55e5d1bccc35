import { handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.extranonce.subscribe` `[]` -> `true`, remembered (the session's
 * `extranonceSubscribed`). Not part of the Warthog spec; closed miners may
 * send it (facts/warthog.md §9 question 1) and an unanswered id can hang a
 * client. The handler's hook is called once; repeats are idempotent.
 */
export function handleExtranonceSubscribe(ctx: ServerMethodContext, _params: unknown[]): MethodReply {
  if (ctx.state.extranonceSubscribed) return ok(true);
  try {
    ctx.handler.extranonceSubscribe?.();
  } catch (err) {
    return handlerFailure(ctx, 'mining.extranonce.subscribe', err);
  }
  ctx.state.extranonceSubscribed = true;
  return ok(true);
}
