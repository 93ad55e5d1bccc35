import type { EthClientMethodContext } from '../client-context';

/**
 * `mining.bye` from the pool: the client closes the connection; the
 * session is abandoned (a later subscribe should expect a new session id
 * and authorize its workers again).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Bye"
 */
export function handleBye(ctx: EthClientMethodContext, _params: unknown): void {
  ctx.byeReceived();
}
