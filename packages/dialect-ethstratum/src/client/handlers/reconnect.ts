import { decodeReconnectParams } from '../../messages/reconnect';
import type { EthClientMethodContext } from '../client-context';

/**
 * `mining.reconnect {host, port, resume}` -> `reconnect$`. The app decides
 * when to go; the server may close the connection soon after.
 *
 * @throws LodeError('protocol') when host or port is missing or wrong
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Reconnect"
 */
export function handleReconnect(ctx: EthClientMethodContext, params: unknown): void {
  ctx.emitReconnect(decodeReconnectParams(params));
}
