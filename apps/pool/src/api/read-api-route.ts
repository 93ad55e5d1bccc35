/**
 * A request of the read API, recognised from its path (the method is checked
 * apart). Path segments are percent-decoded.
 */
export type ReadApiRoute =
  | { kind: 'health' }
  | { kind: 'stats'; coin: string }
  | { kind: 'blocks'; coin: string; limit: string | null }
  | { kind: 'worker'; coin: string; worker: string };

/**
 * Recognises a read API path: `/health`, `/api/stats/:coin`,
 * `/api/blocks/:coin?limit=N`, `/api/workers/:coin/:name` (a trailing `/` is
 * ignored; `:name` is percent-decoded, so "addr.rig%201" names "addr.rig 1").
 *
 * @param target the request target as received ("/api/blocks/btc?limit=5")
 * @returns the route, undefined when the path is none of them or is not
 *   valid percent-encoding
 */
export function matchReadApiRoute(target: string): ReadApiRoute | undefined {
  let url: URL;
  try {
    url = new URL(target, 'http://read-api.invalid');
  } catch {
    return undefined;
  }
  const raw = url.pathname.replace(/\/+$/, '').split('/').slice(1);
  let parts: string[];
  try {
    parts = raw.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 1 && parts[0] === 'health') return { kind: 'health' };
  if (parts[0] !== 'api') return undefined;
  if (parts.length === 3 && parts[1] === 'stats') return { kind: 'stats', coin: parts[2] };
  if (parts.length === 3 && parts[1] === 'blocks') return { kind: 'blocks', coin: parts[2], limit: url.searchParams.get('limit') };
  if (parts.length === 4 && parts[1] === 'workers') return { kind: 'worker', coin: parts[2], worker: parts[3] };
  return undefined;
}
