import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError, type LodeLogger } from '@lode/stratum-core';
import type { MinerSnapshot } from '../core/proxy-port';
import type { UpstreamSnapshot } from '../core/upstream-snapshot';

/** What the stats API reads. */
export interface StatsApiSources {
  /** every upstream, in config order */
  upstreams(): UpstreamSnapshot[];
  /** every miner connection */
  miners(): MinerSnapshot[];
}

/** Options of {@link startStatsApi}. */
export interface StatsApiOptions {
  /** address to bind ("127.0.0.1"; "0.0.0.0" to expose it) */
  host: string;
  /** TCP port, 0 for any free one */
  port: number;
  sources: StatsApiSources;
  /** value of Access-Control-Allow-Origin (default "*") */
  corsOrigin?: string;
}

/** A running stats API. */
export interface RunningStatsApi {
  /** base URL as bound ("http://127.0.0.1:8081") */
  readonly url: string;
  /** stops listening and closes every connection */
  close(): Promise<void>;
}

const ALLOWED = 'GET, HEAD, OPTIONS';
const PATHS = '/health, /api/upstreams, /api/miners';

/**
 * Starts the proxy's read-only JSON API over node:http (the shape of the
 * pool's read API, apps/pool/src/api):
 *
 * - `/health` -> 200 `{ status: "ok", upstreams: { up, total } }` when at
 *   least one upstream is up, else 503 with `status: "no upstream"`
 * - `/api/upstreams` -> 200, per upstream: state, subscriptions
 *   (extranonce1, suffix, capacity, miners, difficulty, version mask),
 *   shares forwarded / accepted / rejected ({@link UpstreamSnapshot})
 * - `/api/miners` -> 200, per miner: workers, upstream, extranonce1,
 *   difficulty, accepted / rejected, hashrate ({@link MinerSnapshot})
 *
 * 404 JSON for another path, 405 (with Allow) for another method, 204 for a
 * CORS preflight, 500 (logged, not echoed) when a source throws. Request
 * bodies are never read.
 *
 * @throws LodeError('connection') when the address cannot be bound
 */
export async function startStatsApi(options: StatsApiOptions, logger: LodeLogger): Promise<RunningStatsApi> {
  const log = logger.child({ component: 'stats-api' });
  const server = createServer((req, res) => handle(options, log, req, res));
  await new Promise<void>((resolve, reject) => {
    const refused = (e: Error) => reject(new LodeError('connection', `stats API cannot listen on ${options.host}:${options.port}: ${e.message}`, { cause: e }));
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (e) => log.error({ err: e.message }, 'stats API server error'));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function handle(options: StatsApiOptions, log: LodeLogger, req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? 'GET';
  const path = pathOf(req.url ?? '/');
  let status: number;
  let body: unknown;
  if (path !== '/health' && path !== '/api/upstreams' && path !== '/api/miners') {
    status = 404;
    body = { error: `no such path: ${req.url ?? ''} (stats API paths: ${PATHS})` };
  } else if (method === 'OPTIONS') {
    status = 204;
  } else if (method !== 'GET' && method !== 'HEAD') {
    status = 405;
    body = { error: `method ${method} is not allowed; the stats API answers ${ALLOWED}` };
  } else {
    try {
      if (path === '/health') {
        const upstreams = options.sources.upstreams();
        const up = upstreams.filter((u) => u.state === 'up').length;
        status = up > 0 ? 200 : 503;
        body = { status: up > 0 ? 'ok' : 'no upstream', upstreams: { up, total: upstreams.length } };
      } else {
        status = 200;
        body = path === '/api/upstreams' ? options.sources.upstreams() : options.sources.miners();
      }
    } catch (e) {
      log.error({ err: e, path }, 'stats API request failed');
      status = 500;
      body = { error: 'internal error' };
    }
  }
  res.statusCode = status;
  res.setHeader('Access-Control-Allow-Origin', options.corsOrigin ?? '*');
  res.setHeader('Cache-Control', 'no-store');
  if (status === 405) res.setHeader('Allow', ALLOWED);
  if (status === 204) {
    res.setHeader('Access-Control-Allow-Methods', ALLOWED);
    res.end();
    return;
  }
  const text = JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(method === 'HEAD' ? undefined : text);
}

/** The path without query and trailing slashes; "/" for anything unreadable. */
function pathOf(target: string): string {
  try {
    const path = new URL(target, 'http://stats-api.invalid').pathname.replace(/\/+$/, '');
    return path === '' ? '/' : path;
  } catch {
    return '/';
  }
}
