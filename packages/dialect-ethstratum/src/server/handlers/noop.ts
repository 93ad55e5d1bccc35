import { ok } from '../method-context';
import type { EthServerMethodContext, MethodReply } from '../method-context';

/**
 * `mining.noop` -> `{"id":n}`. A miner that finds no solution for a while
 * sends it so the server's idle timeout does not drop it (ethminer: 5 s
 * before `timeout` expires); like any message, it resets that timeout.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Noop"
 */
export function handleNoop(_ctx: EthServerMethodContext, _params: unknown): MethodReply {
  return ok();
}
