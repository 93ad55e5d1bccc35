import { decodeNotifyParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.notify` (9 params) -> a ClientJob carrying the difficulty staged
 * when it arrived. A malformed notify throws LodeError('protocol') and no job
 * is emitted.
 *
 * @see facts/bitcoin-stratum.md "Byte orders"; field-notes.md §1.9 (cgminer applies set_difficulty at the next notify)
 */
export function handleNotify(ctx: ClientMethodContext, params: unknown[]): true {
  const job = decodeNotifyParams(params);
  ctx.emitJob({ params: job, difficulty: ctx.state.difficulty, receivedAt: ctx.now() });
  return true;
}
