import { StratumErrorCodes } from '@lode/stratum-core';
import { decodeSubscribeParams, encodeSubscribeResult } from '../../messages';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.subscribe` `[userAgent?, sessionId?]` -> `[[subscriptions], extranonce1, extranonce2Size]`.
 *
 * Answered once per connection: a second subscribe (or one while the first
 * is still being handled) gets -32600 "already subscribed". A subscribe the
 * pool's handler refused may be retried.
 *
 * @see facts/bitcoin-stratum.md "Message flow real miners use"
 */
export async function handleSubscribe(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  const { state } = ctx;
  if (state.subscribe !== 'none') return fail(StratumErrorCodes.INVALID_REQUEST, 'already subscribed');
  const req = decodeSubscribeParams(params);
  state.subscribe = 'pending';
  try {
    const result = await ctx.handler.subscribe(req);
    const wire = encodeSubscribeResult(result);
    state.subscription = { ...result };
    state.userAgent = req.userAgent;
    state.subscribe = 'done';
    return ok(wire);
  } catch (err) {
    state.subscribe = 'none';
    return handlerFailure(ctx, 'mining.subscribe', err);
  }
}
