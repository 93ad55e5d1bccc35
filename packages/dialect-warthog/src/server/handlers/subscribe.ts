import { StratumErrorCodes } from '@lode/stratum-core';
import { decodeSubscribeParams, encodeSubscribeResult } from '../../messages';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.subscribe` `[userAgent, suggestedSessionId?]` ->
 * `[[["mining.notify", sessionId]], extranonce1 hex, extranonce2Size]`.
 *
 * Answered once per connection: a second subscribe (or one while the first
 * is still being handled) gets -32600 "already subscribed". A subscribe the
 * pool's handler refused may be retried. A result whose extranonces do not
 * add up to 10 bytes is the pool's bug: it is logged and answered 20.
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.subscribe"; facts/warthog.md §7
 */
export async function handleSubscribe(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  const { state } = ctx;
  if (state.subscribe !== 'none') return fail(StratumErrorCodes.INVALID_REQUEST, 'already subscribed');
  const req = decodeSubscribeParams(params);
  state.subscribe = 'pending';
  try {
    const result = await ctx.handler.subscribe(req);
    const wire = encodeSubscribeResult(result);
    state.subscription = { ...result, extranonce1: Buffer.from(result.extranonce1) };
    state.userAgent = req.userAgent;
    state.subscribe = 'done';
    return ok(wire);
  } catch (err) {
    state.subscribe = 'none';
    // An encoding error carries no code: it is logged and answered 20.
    return handlerFailure(ctx, 'mining.subscribe', err);
  }
}
