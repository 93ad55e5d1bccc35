import { WarthogErrorCodes } from '../../errors';
import { preview } from '../../hex';
import { decodeAuthorizeParams } from '../../messages';
import type { WarthogAuthorizeRequest } from '../../messages';
import { fail, handlerFailure, invalidParams, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.authorize` `[user, password]` -> `true`, or error 24 when the pool
 * refuses. Several workers may authorize on one connection (up to
 * `maxWorkers`); the one authorized last is the worker 4-parameter submits
 * are credited to (a repeated authorize of a known worker makes it the last).
 * Params out of shape -> -32602.
 */
export async function handleAuthorize(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  let req: WarthogAuthorizeRequest;
  try {
    req = decodeAuthorizeParams(params);
  } catch (err) {
    return invalidParams(err);
  }
  const { state } = ctx;
  const workers = state.authorizedWorkers;
  if (!workers.has(req.workerName) && workers.size >= ctx.maxWorkers) {
    return fail(WarthogErrorCodes.UNAUTHORIZED, `too many workers on this connection (at most ${ctx.maxWorkers})`);
  }
  let accepted: boolean;
  try {
    accepted = await ctx.handler.authorize(req);
  } catch (err) {
    return handlerFailure(ctx, 'mining.authorize', err);
  }
  if (accepted !== true) {
    return fail(WarthogErrorCodes.UNAUTHORIZED, `worker '${preview(req.workerName)}' is not authorized`);
  }
  workers.add(req.workerName);
  state.lastAuthorized = req.workerName;
  return ok(true);
}
