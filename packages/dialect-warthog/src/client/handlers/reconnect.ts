import { decodeReconnectParams } from '../../messages';
import type { ClientMethodContext } from '../client-context';

/**
 * `client.reconnect [host?, port?, waitSeconds?]` -> `reconnect$`. Items that
 * cannot be read count as absent (same host, same port, no wait).
 */
export function handleReconnect(ctx: ClientMethodContext, params: unknown[]): true {
  ctx.emitReconnect(decodeReconnectParams(params));
  return true;
}
