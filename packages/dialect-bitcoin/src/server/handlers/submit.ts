import type { ShareRejectReason } from '@lode/mining';
import { StratumErrorCodes } from '@lode/stratum-core';
import { rejectionToError } from '../../errors';
import { isHexBytes, parseUint32Hex, preview } from '../../hex';
import type { SubmitRequest } from '../../messages';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

const FIELD_NAMES = ['worker name', 'job id', 'extranonce2', 'ntime', 'nonce', 'version bits'];

function reject(reason: ShareRejectReason, message: string): MethodReply {
  return { error: rejectionToError({ accepted: false, reason, message }) };
}

/**
 * `mining.submit` `[workerName, jobId, extranonce2, ntime, nonce, versionBits?]` -> `true` or an error.
 *
 * Checks, in order, each with its own reply:
 * 1. 5 params, or 6 when `allowVersionBits()` (BIP 310) -> else -32602
 *    "mining.submit takes 5 parameters, got 4";
 * 2. every param a string, the job id non-empty -> else -32602;
 * 3. the connection subscribed -> else 25; the worker authorized here -> else 24;
 * 4. extranonce2 hex of exactly the subscribed extranonce2 size (or the size
 *    before the last set_extranonce, for shares on older jobs) -> else 20
 *    "extranonce2 is 3 bytes, expected 4";
 * 5. ntime, nonce and version bits 8 hex digits each -> else 20.
 * Then the pool's handler judges the share; its verdict maps through
 * `rejectionToError` (stale 21, duplicate 22, low difficulty 23, ...).
 *
 * @see facts/bitcoin-stratum.md rules 4, 6 and 7
 */
export async function handleSubmit(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  const versionBitsAllowed = ctx.allowVersionBits();
  const n = params.length;
  if (n !== 5 && !(n === 6 && versionBitsAllowed)) {
    const expected = versionBitsAllowed ? '5 or 6 parameters' : '5 parameters';
    const hint = n === 6 ? ' (version rolling was not negotiated)' : '';
    return fail(StratumErrorCodes.INVALID_PARAMS, `mining.submit takes ${expected}, got ${n}${hint}`);
  }
  for (let i = 0; i < n; i++) {
    if (typeof params[i] !== 'string') {
      return fail(
        StratumErrorCodes.INVALID_PARAMS,
        `mining.submit parameter ${i + 1} (${FIELD_NAMES[i]}) is ${preview(params[i])}, expected a string`,
      );
    }
  }
  const [workerName, jobId, en2Hex, ntimeHex, nonceHex, versionHex] = params as string[];
  if (jobId.length === 0) return fail(StratumErrorCodes.INVALID_PARAMS, 'mining.submit job id is empty');

  const { state } = ctx;
  if (state.subscribe !== 'done' || state.subscription === undefined) {
    return reject('not-subscribed', 'not subscribed: send mining.subscribe first');
  }
  if (!state.authorizedWorkers.has(workerName)) {
    return reject('unauthorized', `worker '${preview(workerName)}' is not authorized on this connection`);
  }

  if (!isHexBytes(en2Hex)) return reject('bad-extranonce2', `extranonce2 '${preview(en2Hex)}' is not hex bytes`);
  const en2Bytes = en2Hex.length / 2;
  const expected = state.subscription.extranonce2Size;
  if (en2Bytes !== expected && en2Bytes !== state.previousExtranonce2Size) {
    return reject('bad-extranonce2', `extranonce2 is ${en2Bytes} bytes, expected ${expected}`);
  }
  const ntime = parseUint32Hex(ntimeHex);
  if (ntime === undefined) return reject('bad-ntime', `ntime '${preview(ntimeHex)}' is not 8 hex digits`);
  const nonce = parseUint32Hex(nonceHex);
  if (nonce === undefined) return reject('bad-nonce', `nonce '${preview(nonceHex)}' is not 8 hex digits`);

  const req: SubmitRequest = { workerName, jobId, extranonce2: Buffer.from(en2Hex, 'hex'), ntime, nonce };
  if (versionHex !== undefined) {
    const versionBits = parseUint32Hex(versionHex);
    if (versionBits === undefined) {
      return reject('bad-version', `version bits '${preview(versionHex)}' is not 8 hex digits`);
    }
    req.versionBits = versionBits;
  }

  try {
    const verdict = await ctx.handler.submit(req);
    return verdict.accepted ? ok(true) : { error: rejectionToError(verdict) };
  } catch (err) {
    return handlerFailure(ctx, 'mining.submit', err);
  }
}
