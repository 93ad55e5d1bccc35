import { LodeError } from '@lode/stratum-core';
import { decodeNotifyParams } from '../../messages/notify';
import type { EthClientMethodContext } from '../client-context';

/**
 * `mining.notify [jobId, height, headerHash, clean]` -> an EthClientJob
 * bound to the values staged by earlier `mining.set` notifications.
 *
 * @throws LodeError('protocol') when the params are malformed, or when no
 *   epoch was ever set (the job cannot be mined; ethminer also discards a
 *   notify before the first mining.set)
 * @see specs/003_fafafa51dc5fa36a.txt "Jobs notification"
 */
export function handleNotify(ctx: EthClientMethodContext, params: unknown): void {
  const p = decodeNotifyParams(params);
  const { epoch, target, algo, extranonce } = ctx.state.staged;
  if (epoch === undefined) {
    throw new LodeError('protocol', `mining.notify job ${p.jobId} arrived before any mining.set epoch; the job is skipped`);
  }
  ctx.emitJob({ ...p, epoch, target, algo, extranonce: Buffer.from(extranonce) });
}
