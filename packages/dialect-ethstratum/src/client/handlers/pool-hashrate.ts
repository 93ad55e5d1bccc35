import { decodePoolHashrateParams } from '../../messages/pool-hashrate';
import type { EthClientMethodContext } from '../client-context';

/**
 * The pool's `mining.hashrate {interval, hr, accepted, rejected}` notification -> `hashrate$`.
 *
 * @throws LodeError('protocol') when a member is missing or wrong
 * @see specs/003_fafafa51dc5fa36a.txt "Hashrate" / "Server communicates hashrate to client"
 */
export function handlePoolHashrate(ctx: EthClientMethodContext, params: unknown): void {
  ctx.emitPoolHashrate(decodePoolHashrateParams(params));
}
