import type { ClientMethodContext } from '../client-context';

/** `mining.ping` from the pool -> "pong" (cgminer answers it the same way). */
export function handlePing(_ctx: ClientMethodContext, _params: unknown[]): string {
  return 'pong';
}
