import { EthStratumErrors } from '../../errors';
import { checkExtranonce } from '../../messages/mining-set';
import { show } from '../../messages/show';
import { fail, handlerFailure, malformedReply, ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';
import type { EthSubscribeResult } from '../server-handler';
import { tokenFor } from './tokens';

/** The longest session id accepted or issued, in characters. */
const MAX_SESSION_ID = 64;
const PRINTABLE = /^[\x20-\x7e]+$/;

function badResult(ctx: EthServerMethodContext, why: string): MethodReply {
  ctx.logger.error({ why }, 'subscribe handler returned an unusable result');
  return fail(EthStratumErrors.INTERNAL, 'mining.subscribe failed');
}

/** Why a subscribe result cannot be used, or undefined when it can. */
function resultProblem(result: EthSubscribeResult, requested: string | undefined): string | undefined {
  if (typeof result.sessionId !== 'string' || result.sessionId.length > MAX_SESSION_ID || !PRINTABLE.test(result.sessionId)) {
    return `session id ${show(result.sessionId)} is not 1..${MAX_SESSION_ID} printable ASCII characters`;
  }
  try {
    checkExtranonce(result.extranonce);
  } catch (err) {
    return (err as Error).message;
  }
  if (result.resumed && result.sessionId !== requested) {
    return `resumed is true but session id ${show(result.sessionId)} differs from the requested ${show(requested)}`;
  }
  if (!result.resumed && requested !== undefined && result.sessionId === requested) {
    return `session ${show(requested)} is not resumed, yet the same id was returned (the spec requires a new one)`;
  }
  if (result.resumed && (!Array.isArray(result.workers) || result.workers.some((w) => typeof w !== 'string'))) {
    return `workers ${show(result.workers)} is not an array of worker names`;
  }
  return undefined;
}

/**
 * `mining.subscribe` (no params: a new session; a string: resume that
 * session) -> the session id string.
 *
 * - After `mining.hello` only (the session answers 400 before it); once per
 *   connection, a second one gets 400. A subscribe the pool's handler
 *   refused (threw) may be retried.
 * - params other than absent or a string of 1..64 printable characters -> 400.
 * - On a port without resume the requested id is not passed on: the
 *   handler starts a new session, whose id must differ from the requested one.
 * - Resumed with workers: they get their tokens back in authorization
 *   order and may submit at once; jobs may then flow without an authorize.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Session Subscription", "Response to Subscription"
 */
export async function handleSubscribe(ctx: EthServerMethodContext, params: unknown): Promise<MethodReply> {
  const { state, options } = ctx;
  if (state.subscribe !== 'none') return malformedReply('mining.subscribe was already answered on this connection', 'not-request');
  if (params !== undefined && (typeof params !== 'string' || params.length === 0 || params.length > MAX_SESSION_ID || !PRINTABLE.test(params))) {
    return malformedReply(
      `mining.subscribe params is ${show(params)}, expected no params (new session) or a session id of 1..${MAX_SESSION_ID} characters`,
    );
  }
  const requested = options.resume ? params : undefined;
  state.subscribe = 'pending';
  let result: EthSubscribeResult;
  try {
    result = await ctx.handler.subscribe({ ...(requested === undefined ? {} : { sessionId: requested }), userAgent: state.hello?.agent ?? '' });
  } catch (err) {
    state.subscribe = 'none';
    return handlerFailure(ctx, 'mining.subscribe', err);
  }
  const resumed = result.resumed === true;
  const problem = resultProblem({ ...result, resumed }, requested);
  if (problem !== undefined) {
    state.subscribe = 'none';
    return badResult(ctx, problem);
  }
  state.subscribe = 'done';
  state.sessionId = result.sessionId;
  state.resumed = resumed;
  state.currentExtranonce = Buffer.from(result.extranonce);
  if (resumed) {
    for (const worker of result.workers.slice(0, options.maxWorkers)) tokenFor(state, worker);
    if (result.workers.length > options.maxWorkers) {
      ctx.logger.warn({ workers: result.workers.length, maxWorkers: options.maxWorkers }, 'resumed session has more workers than allowed; the rest must authorize again');
    }
  }
  return ok(result.sessionId);
}
