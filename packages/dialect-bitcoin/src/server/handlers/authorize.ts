import { StratumErrorCodes } from '@lode/stratum-core';
import { BitcoinErrorCodes } from '../../errors';
import { preview } from '../../hex';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/** Longest worker name accepted, in characters. */
const MAX_WORKER_NAME = 256;

/**
 * `mining.authorize` `[workerName, password]` -> `true`, or error 24 when the
 * pool refuses. A missing or null password reads as "" and a numeric one as
 * its decimal text; several workers may authorize on one connection (up to
 * `maxWorkers`).
 */
export async function handleAuthorize(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  const [workerName, password] = params;
  if (typeof workerName !== 'string' || workerName.length === 0) {
    return fail(
      StratumErrorCodes.INVALID_PARAMS,
      `mining.authorize takes [workerName, password]; worker name ${preview(workerName)} is not a non-empty string`,
    );
  }
  if (workerName.length > MAX_WORKER_NAME) {
    return fail(
      StratumErrorCodes.INVALID_PARAMS,
      `worker name is ${workerName.length} characters, at most ${MAX_WORKER_NAME} allowed`,
    );
  }
  let pass: string;
  if (password === undefined || password === null) pass = '';
  else if (typeof password === 'string') pass = password;
  else if (typeof password === 'number') pass = String(password);
  else return fail(StratumErrorCodes.INVALID_PARAMS, `password ${preview(password)} is not a string`);

  const workers = ctx.state.authorizedWorkers;
  if (!workers.has(workerName) && workers.size >= ctx.maxWorkers) {
    return fail(BitcoinErrorCodes.UNAUTHORIZED, `too many workers on this connection (at most ${ctx.maxWorkers})`);
  }
  let accepted: boolean;
  try {
    accepted = await ctx.handler.authorize({ workerName, password: pass });
  } catch (err) {
    return handlerFailure(ctx, 'mining.authorize', err);
  }
  if (!accepted) return fail(BitcoinErrorCodes.UNAUTHORIZED, `worker '${preview(workerName)}' is not authorized`);
  workers.add(workerName);
  return ok(true);
}
