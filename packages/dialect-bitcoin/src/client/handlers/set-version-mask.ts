import { decodeVersionMaskParams } from '../../configure/configure-messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.set_version_mask [TMask]`: the mask the miner may roll under,
 * valid at once (BIP 310: "the server doesn't wait for the next job"),
 * applied to the session and emitted on `versionMask$`. Ignored (and
 * answered true) before version rolling was negotiated: BIP 310 allows it
 * only "after successful setup", and a miner that never negotiated must not
 * start sending a 6th submit param.
 *
 * @throws LodeError('protocol') if the mask is not 8 hex digits
 * @see specs/002_b8c80480aecfabab.txt 'Notification "mining.set_version_mask"'
 */
export function handleSetVersionMask(ctx: ClientMethodContext, params: unknown[]): true {
  const mask = decodeVersionMaskParams(params);
  if (ctx.state.versionMask === undefined) return true;
  ctx.state.versionMask = mask;
  ctx.emitVersionMask(mask);
  return true;
}
