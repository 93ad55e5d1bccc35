import type { ClientMethodContext } from '../client-context';

/** `client.get_version` -> the miner's user agent, e.g. "lode-miner/0.1.0". */
export function handleGetVersion(ctx: ClientMethodContext, _params: unknown[]): string {
  return ctx.userAgent;
}
