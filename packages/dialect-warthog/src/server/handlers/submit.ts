import type { ShareRejectReason } from '@lode/mining';
import { rejectionToError } from '../../errors';
import { preview } from '../../hex';
import { parseSubmitFields, readSubmitParams } from '../../messages';
import type { WarthogSubmitParams, WarthogSubmitRequest } from '../../messages';
import { handlerFailure, invalidParams, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

function reject(reason: ShareRejectReason, message: string): MethodReply {
  return { error: rejectionToError({ accepted: false, reason, message }) };
}

/**
 * `mining.submit` `[jobId, extranonce2, ntime, nonce]` (or the shifupool form
 * `[worker, jobId, extranonce2, ntime, nonce]`) -> `true` or an error.
 *
 * Checks, in order, each with its own reply:
 * 1. 4 or 5 params, all strings, job id (and worker name) non-empty -> else
 *    -32602 naming what is wrong;
 * 2. the connection subscribed -> else 25;
 * 3. the worker authorized here -> else 24. In the 4-parameter form the
 *    worker is the one authorized last on this connection (none -> 24); the
 *    5-parameter form names it;
 * 4. extranonce2 hex of exactly the subscribed size, ntime and nonce 8 hex
 *    digits each -> else 20 with a message saying which.
 * Then the pool's handler judges the share; its verdict maps through
 * `rejectionToError` (stale 21, duplicate 22, low difficulty 23, ...).
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.submit"; facts/warthog.md §7 (both forms), §8 rule 7
 */
export async function handleSubmit(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  let raw: WarthogSubmitParams;
  try {
    raw = readSubmitParams(params);
  } catch (err) {
    return invalidParams(err);
  }

  const { state } = ctx;
  if (state.subscribe !== 'done' || state.subscription === undefined) {
    return reject('not-subscribed', 'not subscribed: send mining.subscribe first');
  }
  const workerName = raw.workerName ?? state.lastAuthorized;
  if (workerName === undefined) {
    return reject('unauthorized', 'no worker is authorized on this connection: send mining.authorize first');
  }
  if (!state.authorizedWorkers.has(workerName)) {
    return reject('unauthorized', `worker '${preview(workerName)}' is not authorized on this connection`);
  }

  const fields = parseSubmitFields(raw, state.subscription.extranonce2Size);
  if (!fields.ok) return reject(fields.reason, fields.message);

  const req: WarthogSubmitRequest = {
    workerName,
    jobId: raw.jobId,
    extranonce2: fields.extranonce2,
    ntime: fields.ntime,
    nonce: fields.nonce,
  };
  try {
    const verdict = await ctx.handler.submit(req);
    return verdict.accepted ? ok(true) : { error: rejectionToError(verdict) };
  } catch (err) {
    return handlerFailure(ctx, 'mining.submit', err);
  }
}
