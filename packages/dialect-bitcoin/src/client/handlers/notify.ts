import { decodeNotifyParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.notify` (9 params) -> a ClientJob carrying the difficulty staged
 * when it arrived (and the BIP 310 version mask in force, once negotiated). A malformed notify throws LodeError('protocol') and no job
 * is emitted.
 *
 * @see facts/bitcoin-stratum.md "Byte orders"; field-notes.md §1.9 (cgminer applies set_difficulty at the next notify)
 */
export function handleNotify(ctx: ClientMethodContext, params: unknown[]): true {
  const job = decodeNotifyParams(params);
  const versionMask = ctx.state.versionMask;
  ctx.emitJob({
    params: job,
    difficulty: ctx.state.difficulty,
    receivedAt: ctx.now(),
    ...(versionMask === undefined ? {} : { versionMask }),
  });
  return true;
}
