import type { ShareRejectReason } from '@lode/mining';
import { StratumErrorCodes } from '@lode/stratum-core';
import { effectiveVersionMask } from '../../configure/version-rolling';
import { rejectionToError } from '../../errors';
import { isHexBytes, parseUint32Hex, preview, uint32ToHex } from '../../hex';
import type { SubmitRequest } from '../../messages';
import { fail, handlerFailure, ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

const FIELD_NAMES = ['worker name', 'job id', 'extranonce2', 'ntime', 'nonce', 'version bits'];

function reject(reason: ShareRejectReason, message: string): MethodReply {
  return { error: rejectionToError({ accepted: false, reason, message }) };
}

/**
 * The version mask a 6th submit param is checked against, or undefined when
 * none is accepted: the mask last told to the miner once version rolling
 * was negotiated (BIP 310 `last_mask`), else, on a port that allows version
 * bits without mining.configure, the server mask without the bits of the
 * last job's version.
 */
function versionMaskInEffect(ctx: ServerMethodContext): number | undefined {
  const negotiated = ctx.state.versionRolling;
  if (negotiated !== undefined) return negotiated.mask;
  const policy = ctx.versionRolling;
  if (policy?.allowWithoutConfigure === true) return effectiveVersionMask(policy.serverMask, ctx.state.lastJobVersion);
  return undefined;
}

/**
 * `mining.submit` `[workerName, jobId, extranonce2, ntime, nonce, versionBits?]` -> `true` or an error.
 *
 * Checks, in order, each with its own reply:
 * 1. 5 params, or 5 or 6 once version rolling was negotiated (or the port
 *    allows version bits without mining.configure) -> else -32602
 *    "mining.submit takes 5 parameters, got 6 (version rolling was not negotiated)";
 * 2. every param a string, the job id non-empty -> else -32602;
 * 3. the connection subscribed -> else 25; the worker authorized here -> else 24;
 * 4. extranonce2 hex of exactly the subscribed extranonce2 size (or the size
 *    before the last set_extranonce, for shares on older jobs) -> else 20
 *    "extranonce2 is 3 bytes, expected 4";
 * 5. ntime, nonce and version bits 8 hex digits each -> else 20;
 * 6. version bits inside the mask in effect -> else 20
 *    "version bits 20000000 fall outside the mask 1fffe000".
 * A 5-param submit after negotiation is valid: the job's version unchanged,
 * `versionBits` and `versionMask` absent. Then the pool's handler judges the
 * share; its verdict maps through `rejectionToError` (stale 21, duplicate
 * 22, low difficulty 23, ...).
 *
 * @see facts/bitcoin-stratum.md rules 4, 6 and 7; specs/002_b8c80480aecfabab.txt 'Changes in request "mining.submit"'
 */
export async function handleSubmit(ctx: ServerMethodContext, params: unknown[]): Promise<MethodReply> {
  const mask = versionMaskInEffect(ctx);
  const n = params.length;
  if (n !== 5 && !(n === 6 && mask !== undefined)) {
    const expected = mask !== undefined ? '5 or 6 parameters' : '5 parameters';
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
  if (versionHex !== undefined && mask !== undefined) {
    const versionBits = parseUint32Hex(versionHex);
    if (versionBits === undefined) {
      return reject('bad-version', `version bits '${preview(versionHex)}' is not 8 hex digits`);
    }
    if ((versionBits & ~mask) !== 0) {
      return reject('bad-version', `version bits ${uint32ToHex(versionBits)} fall outside the mask ${uint32ToHex(mask)}`);
    }
    req.versionBits = versionBits;
    req.versionMask = mask;
  }

  try {
    const verdict = await ctx.handler.submit(req);
    return verdict.accepted ? ok(true) : { error: rejectionToError(verdict) };
  } catch (err) {
    return handlerFailure(ctx, 'mining.submit', err);
  }
}
