import { enableSetExtranonce } from '../../configure/subscribe-extranonce';
import { handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.extranonce.subscribe` `[]` -> `true`. From then on the session may
 * send `mining.set_extranonce` (field-notes.md §2 headline gap 3: no open v1
 * pool sends it; NiceHash and proxies need it). Same effect as the BIP 310
 * "subscribe-extranonce" extension; repeats are idempotent.
 */
export function handleExtranonceSubscribe(ctx: ServerMethodContext, _params: unknown[]): MethodReply {
  try {
    enableSetExtranonce(ctx);
  } catch (err) {
    return handlerFailure(ctx, 'mining.extranonce.subscribe', err);
  }
  return ok(true);
}
