import type { EthServerSessionState } from '../method-context';

/**
 * The worker token for `workerName`, issuing the next one (`w-1`, `w-2`, ...
 * in authorization order) when it has none. Because tokens follow the
 * order, a resumed session whose workers come back in the order they were
 * authorized gets the tokens of the originating session, as the spec
 * requires of resumed clients that skip `mining.authorize`.
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Workers Authorization"
 */
export function tokenFor(state: EthServerSessionState, workerName: string): string {
  const existing = state.tokensByWorker.get(workerName);
  if (existing !== undefined) return existing;
  const token = `w-${state.nextTokenIndex++}`;
  state.tokensByWorker.set(workerName, token);
  state.workersByToken.set(token, workerName);
  return token;
}
