import { EthStratumErrors, rejectionToError } from '../../errors';
import { MAX_JOB_ID_LENGTH } from '../../messages/notify';
import { NONCE_BYTES } from '../../messages/methods';
import { show } from '../../messages/show';
import { fail, handlerFailure, malformedReply, ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';
import { isReply, readStringParams } from '../read-params';
import type { EthSubmitRequest } from '../server-handler';

const HEX = /^[0-9a-fA-F]*$/;

/**
 * `mining.submit [jobId, minerNonce, workerToken]` -> `{"id":n}` or an error.
 *
 * Checks, in order, each with its own reply:
 * 1. exactly three strings -> else 400 naming the parameter; a job id of 1..64 characters;
 * 2. subscribed -> else 302; the token issued in this session -> else 301
 *    (the spec: such a submit MUST be rejected);
 * 3. the miner nonce hex (either case) of exactly 8 - extranonce bytes,
 *    the extranonce being the one in force when this connection sent the
 *    job (the session's current one for a job it did not send) -> else 414
 *    "Bad nonce size: miner nonce is 5 bytes, expected 6 (extranonce af4c)".
 * Then the pool's handler judges it: accepted -> `{"id":n}`; accepted but
 * stale -> 202 "Stale"; rejected -> the table's error (`rejectionToError`).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Solution submission", "A detail of extranonce"
 */
export async function handleSubmit(ctx: EthServerMethodContext, params: unknown): Promise<MethodReply> {
  const read = readStringParams('mining.submit', params, ['jobId', 'minerNonce', 'workerToken']);
  if (isReply(read)) return read;
  const [jobId, nonceHex, token] = read;
  if (jobId.length === 0 || jobId.length > MAX_JOB_ID_LENGTH) {
    return malformedReply(`mining.submit job id is ${jobId.length} characters, expected 1..${MAX_JOB_ID_LENGTH}`);
  }
  const { state } = ctx;
  if (state.subscribe !== 'done') return fail(EthStratumErrors.NOT_SUBSCRIBED, 'send mining.subscribe first');
  const workerName = state.workersByToken.get(token);
  if (workerName === undefined) {
    return fail(EthStratumErrors.UNKNOWN_WORKER, `token ${show(token)} was not issued in this session; authorize the worker first`);
  }

  const extranonce = state.jobExtranonces.get(jobId) ?? state.currentExtranonce;
  const expectedBytes = NONCE_BYTES - extranonce.length;
  const where = extranonce.length === 0 ? 'no extranonce' : `extranonce ${extranonce.toString('hex')}`;
  if (!HEX.test(nonceHex)) {
    return fail(EthStratumErrors.BAD_NONCE_SIZE, `miner nonce ${show(nonceHex)} is not hex`);
  }
  if (nonceHex.length !== expectedBytes * 2) {
    const got = nonceHex.length % 2 === 0 ? `${nonceHex.length / 2} bytes` : `${nonceHex.length} hex digits`;
    return fail(EthStratumErrors.BAD_NONCE_SIZE, `miner nonce is ${got}, expected ${expectedBytes} (${where})`);
  }
  const minerNonce = Buffer.from(nonceHex, 'hex');
  const req: EthSubmitRequest = {
    workerName,
    jobId,
    extranonce: Buffer.from(extranonce),
    minerNonce,
    nonce: Buffer.concat([extranonce, minerNonce]),
  };
  try {
    const verdict = await ctx.handler.submit(req);
    if (!verdict.accepted) return { error: rejectionToError(verdict) };
    return verdict.stale === true ? fail(EthStratumErrors.STALE_ACCEPTED) : ok();
  } catch (err) {
    return handlerFailure(ctx, 'mining.submit', err);
  }
}
