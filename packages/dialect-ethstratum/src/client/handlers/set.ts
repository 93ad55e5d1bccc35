import { decodeSetParams } from '../../messages/mining-set';
import type { EthClientMethodContext } from '../client-context';

/**
 * `mining.set {epoch?, target?, algo?, extranonce?}`: staged for the next
 * jobs, never applied to jobs already received. Only the members present
 * change; `extranonce: ""` cancels the extranonce. A malformed set changes
 * nothing (all members are checked first).
 *
 * @throws LodeError('protocol') naming the member that is wrong
 * @see specs/003_fafafa51dc5fa36a.txt "Prepare for mining"
 */
export function handleSet(ctx: EthClientMethodContext, params: unknown): void {
  const set = decodeSetParams(params);
  const staged = ctx.state.staged;
  ctx.state.staged = {
    epoch: set.epoch ?? staged.epoch,
    target: set.target ?? staged.target,
    algo: set.algo ?? staged.algo,
    extranonce: set.extranonce ?? staged.extranonce,
  };
  ctx.state.setsApplied++;
}
