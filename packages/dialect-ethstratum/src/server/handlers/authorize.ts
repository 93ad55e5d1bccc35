import { EthStratumErrors } from '../../errors';
import { show } from '../../messages/show';
import { fail, handlerFailure, malformedReply, ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';
import { isReply, readStringParams } from '../read-params';
import { tokenFor } from './tokens';

/** Longest worker name accepted, in characters. */
export const MAX_WORKER_NAME = 256;

/**
 * `mining.authorize [workerName, password]` -> the worker token (`"w-1"`).
 *
 * - Exactly two strings ("for anonymous mining the password can be any
 *   string value or empty but not null") -> else 400 naming the parameter;
 *   a worker name of 1..256 characters.
 * - Before `mining.subscribe` -> 302 "Not subscribed".
 * - A worker already authorized in this session gets its token again
 *   without asking the pool (the spec: same credentials, same token).
 * - More than `maxWorkers` workers, or the pool refuses -> 303 "Worker not authorized".
 * - Tokens are unique within the session and follow the authorization
 *   order (`w-1`, `w-2`, ...), so a resumed session gets the same ones.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Workers Authorization"
 */
export async function handleAuthorize(ctx: EthServerMethodContext, params: unknown): Promise<MethodReply> {
  const read = readStringParams('mining.authorize', params, ['workerName', 'password']);
  if (isReply(read)) return read;
  const [workerName, password] = read;
  if (workerName.length === 0 || workerName.length > MAX_WORKER_NAME) {
    return malformedReply(`mining.authorize worker name is ${workerName.length} characters, expected 1..${MAX_WORKER_NAME}`);
  }
  const { state, options } = ctx;
  if (state.subscribe !== 'done') return fail(EthStratumErrors.NOT_SUBSCRIBED, 'send mining.subscribe first');

  const existing = state.tokensByWorker.get(workerName);
  if (existing !== undefined) return ok(existing);
  if (state.tokensByWorker.size >= options.maxWorkers) {
    return fail(EthStratumErrors.NOT_AUTHORIZED, `too many workers in this session (at most ${options.maxWorkers})`);
  }
  let accepted: boolean;
  try {
    accepted = await ctx.handler.authorize({ workerName, password });
  } catch (err) {
    return handlerFailure(ctx, 'mining.authorize', err);
  }
  if (accepted !== true) return fail(EthStratumErrors.NOT_AUTHORIZED, `worker ${show(workerName)} refused`);
  return ok(tokenFor(state, workerName));
}
