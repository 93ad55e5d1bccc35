import { ok } from '../method-context';
import type { MethodReply, ServerMethodContext } from '../method-context';

/**
 * `mining.ping` from a miner -> `"pong"`. Not part of what miners send to a
 * pool (cgminer only answers the pool's ping), but answering costs nothing
 * and an unanswered id can hang a client.
 */
export function handlePing(_ctx: ServerMethodContext, _params: unknown[]): MethodReply {
  return ok('pong');
}
