/**
 * A request of the read API, recognised from its path (the method is checked
 * apart). Path segments are percent-decoded; query values are raw strings
 * (null when absent), checked by the handler.
 */
export type ReadApiRoute =
  | { kind: 'health' }
  | { kind: 'stats'; coin: string }
  | { kind: 'blocks'; coin: string; limit: string | null }
  | { kind: 'worker'; coin: string; worker: string }
  | { kind: 'workers'; coin: string; limit: string | null }
  | { kind: 'history'; coin: string; since: string | null }
  | { kind: 'miner'; coin: string; address: string; blocks: string | null }
  | { kind: 'ports' }
  | { kind: 'redirect'; location: string }
  | { kind: 'static'; file: string };

/** Every path of the read API, for the 404 message and docs/api.md. */
export const READ_API_PATHS =
  '/health, /api/stats/:coin, /api/history/:coin, /api/workers/:coin, /api/workers/:coin/:name, /api/miners/:coin/:address, /api/blocks/:coin, /api/ports, /dashboard/';

/**
 * Recognises a read API path:
 * - `/health`, `/api/stats/:coin`, `/api/blocks/:coin?limit=N`,
 *   `/api/workers/:coin?limit=N`, `/api/workers/:coin/:name`,
 *   `/api/history/:coin?since=T`, `/api/miners/:coin/:address?blocks=N`,
 *   `/api/ports` (a trailing `/` is ignored; segments are percent-decoded,
 *   so "addr.rig%201" names "addr.rig 1");
 * - the dashboard: `/` and `/dashboard` redirect to `dashboard/` and
 *   `/dashboard/` (relative, so a reverse proxy may mount the pool under a
 *   prefix); `/dashboard/` is the file "index.html", `/dashboard/<name>`
 *   the file `<name>` when it is one plain file name (no `/`, `\`, `..` or
 *   leading `.` after decoding). Whether the file is served is the
 *   dashboard's allow-list's call.
 *
 * @param target the request target as received ("/api/blocks/btc?limit=5")
 * @returns the route, undefined when the path is none of them or is not
 *   valid percent-encoding
 */
export function matchReadApiRoute(target: string): ReadApiRoute | undefined {
  // Work on the raw path, never on a normalised one: "/dashboard/../x" or
  // "/dashboard/%2e%2e/x" must not turn into another path; a dot segment,
  // raw or encoded, matches no route.
  const rawPath = target.split(/[?#]/, 1)[0] ?? '';
  if (!rawPath.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(target, 'http://read-api.invalid');
  } catch {
    return undefined;
  }
  if (rawPath === '/' || rawPath === '/dashboard') return { kind: 'redirect', location: 'dashboard/' };
  if (rawPath === '/dashboard/') return { kind: 'static', file: 'index.html' };
  const raw = rawPath.replace(/\/+$/, '').split('/').slice(1);
  let parts: string[];
  try {
    parts = raw.map((p) => decodeURIComponent(p));
  } catch {
    return undefined;
  }
  if (parts.some((p) => p === '.' || p === '..')) return undefined;
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 2 && parts[0] === 'dashboard' && !rawPath.endsWith('/')) {
    const file = parts[1] as string;
    if (/[/\\]/.test(file) || file.startsWith('.')) return undefined;
    return { kind: 'static', file };
  }
  if (parts.length === 1 && parts[0] === 'health') return { kind: 'health' };
  if (parts[0] !== 'api') return undefined;
  const q = (name: string) => url.searchParams.get(name);
  const coin = parts[2] as string;
  if (parts.length === 2 && parts[1] === 'ports') return { kind: 'ports' };
  if (parts.length === 3 && parts[1] === 'stats') return { kind: 'stats', coin };
  if (parts.length === 3 && parts[1] === 'blocks') return { kind: 'blocks', coin, limit: q('limit') };
  if (parts.length === 3 && parts[1] === 'workers') return { kind: 'workers', coin, limit: q('limit') };
  if (parts.length === 3 && parts[1] === 'history') return { kind: 'history', coin, since: q('since') };
  if (parts.length === 4 && parts[1] === 'workers') return { kind: 'worker', coin, worker: parts[3] as string };
  if (parts.length === 4 && parts[1] === 'miners') return { kind: 'miner', coin, address: parts[3] as string, blocks: q('blocks') };
  return undefined;
}
