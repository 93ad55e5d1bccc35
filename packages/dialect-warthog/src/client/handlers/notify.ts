import { decodeNotifyParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `mining.notify` (7 params; version as 8 hex digits or, in the shifupool
 * form, a JSON number) -> a WarthogClientJob carrying the difficulty staged
 * when it arrived. A malformed notify throws LodeError('protocol') and no job
 * is emitted.
 *
 * @see specs/004_8dfd75be62003ef5.txt "Mining.notify"; facts/warthog.md §7
 */
export function handleNotify(ctx: ClientMethodContext, params: unknown[]): true {
  const job = decodeNotifyParams(params);
  ctx.emitJob({ params: job, difficulty: ctx.state.difficulty, receivedAt: ctx.now() });
  return true;
}
