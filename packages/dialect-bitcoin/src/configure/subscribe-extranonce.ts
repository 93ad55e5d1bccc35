import { ExtensionCodes } from './configure-messages';
import { readExtensionResult } from './configure-extension';
import type { ConfigureExtension, ConfigureServerContext } from './configure-extension';

/**
 * Lets the session send `mining.set_extranonce` to this miner from now on,
 * and tells the pool's `extranonceSubscribe` hook the first time only
 * (repeats are idempotent). Shared by `mining.extranonce.subscribe` and the
 * "subscribe-extranonce" extension, which mean the same thing.
 *
 * @throws whatever the hook throws; the connection then stays unsubscribed
 */
export function enableSetExtranonce(ctx: ConfigureServerContext): void {
  if (ctx.state.extranonceSubscribed) return;
  ctx.state.extranonceSubscribed = true;
  try {
    ctx.handler.extranonceSubscribe?.();
  } catch (err) {
    ctx.state.extranonceSubscribed = false;
    throw err;
  }
}

/**
 * BIP 310 extension "subscribe-extranonce": parameter-less; the miner
 * honours `mining.set_extranonce` (hash-rate routing, field-notes.md §2
 * headline gap 3). Pool side: exactly what `mining.extranonce.subscribe`
 * does, answered true (false when the pool's hook throws, which is logged).
 * Miner side: requested with `subscribeExtranonce: true`.
 *
 * @see specs/002_b8c80480aecfabab.txt 'Extension "subscribe-extranonce"'
 */
export const subscribeExtranonceExtension: ConfigureExtension = {
  code: ExtensionCodes.SUBSCRIBE_EXTRANONCE,

  serve(ctx) {
    try {
      enableSetExtranonce(ctx);
    } catch (err) {
      ctx.logger.error({ err }, 'extranonceSubscribe handler threw; subscribe-extranonce answered false');
      return { result: false };
    }
    return { result: true };
  },

  client: {
    params(request) {
      return request.subscribeExtranonce === true ? {} : undefined;
    },

    read(answer, into) {
      into.subscribeExtranonce = readExtensionResult(answer.result);
    },
  },
};
