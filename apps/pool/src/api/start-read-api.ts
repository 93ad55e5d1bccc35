import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError, type LodeLogger } from '@lode/stratum-core';
import type { ReadApiOptions } from './read-api-options';
import { matchReadApiRoute, type ReadApiRoute } from './read-api-route';

/** A running read API ({@link startReadApi}). */
export interface RunningReadApi {
  /** base URL as bound ("http://127.0.0.1:8080") */
  readonly url: string;
  /** stops listening and closes every connection, idle or not */
  close(): Promise<void>;
}

const ALLOWED = 'GET, HEAD, OPTIONS';

/** An answer: HTTP status and a JSON body. */
interface Answer {
  status: number;
  body: unknown;
}

/**
 * Starts the pool's read-only JSON API over node:http.
 *
 * Routes (GET or HEAD; OPTIONS answers a CORS preflight with 204):
 * - `/health` -> 200 `{ status: "ok", coins: [...] }`
 * - `/api/stats/:coin` -> 200, the accountant's `stats(coin)`, or the
 *   engine's `stats.snapshot()` when only an engine serves the coin
 * - `/api/blocks/:coin?limit=N` -> 200, the accountant's last N blocks
 *   (N integer in [1, maxBlockLimit], default defaultBlockLimit); 400 for a
 *   bad limit; 404 when no accountant covers the coin
 * - `/api/workers/:coin/:name` -> 200, one worker; 404 when never seen
 *
 * Errors are JSON `{ error: "..." }`: 404 for an unknown path, coin or
 * worker, 405 (with `Allow`) for another method, 503 when the accountant's
 * store failed (LodeError 'store'), 500 otherwise (logged, not echoed).
 * Every answer carries `Access-Control-Allow-Origin` and
 * `Cache-Control: no-store`; bigints in a body are written as decimal
 * strings. Request bodies are never read.
 *
 * @param options where to listen and what to read
 * @param logger receives one line per failed read
 * @returns the bound URL and close()
 * @throws LodeError('connection') when the address cannot be bound
 */
export async function startReadApi(options: ReadApiOptions, logger: LodeLogger): Promise<RunningReadApi> {
  const log = logger.child({ component: 'read-api' });
  const server = createServer((req, res) => {
    void handle(options, log, req, res);
  });
  await new Promise<void>((resolve, reject) => {
    const refused = (e: Error) => reject(new LodeError('connection', `read API cannot listen on ${options.host}:${options.port}: ${e.message}`, { cause: e }));
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (e) => log.error({ err: e.message }, 'read API server error'));
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

async function handle(options: ReadApiOptions, log: LodeLogger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const route = matchReadApiRoute(req.url ?? '/');
  let answer: Answer;
  if (route === undefined) {
    answer = { status: 404, body: { error: `no such path: ${req.url ?? ''} (read API paths: /health, /api/stats/:coin, /api/blocks/:coin, /api/workers/:coin/:name)` } };
  } else if (method === 'OPTIONS') {
    answer = { status: 204, body: undefined };
  } else if (method !== 'GET' && method !== 'HEAD') {
    answer = { status: 405, body: { error: `method ${method} is not allowed; the read API answers ${ALLOWED}` } };
  } else {
    try {
      answer = await read(options, route);
    } catch (e) {
      const store = LodeError.is(e, 'store');
      log.error({ err: e, path: req.url }, 'read API request failed');
      answer = store ? { status: 503, body: { error: 'the statistics store is unavailable' } } : { status: 500, body: { error: 'internal error' } };
    }
  }
  send(options, res, answer, method === 'HEAD');
}

async function read(options: ReadApiOptions, route: ReadApiRoute): Promise<Answer> {
  const { accountant, engines } = options;
  if (route.kind === 'health') return { status: 200, body: { status: 'ok', coins: servedCoins(options) } };
  const accounted = accountant !== undefined && accountant.coins.includes(route.coin);
  const engine = engines?.get(route.coin);
  if (!accounted && engine === undefined) {
    return { status: 404, body: { error: `coin '${route.coin}' is not served here (served: ${servedCoins(options).join(', ') || 'none'})` } };
  }
  switch (route.kind) {
    case 'stats':
      return { status: 200, body: accounted ? await accountant.stats(route.coin) : engine?.stats.snapshot() };
    case 'blocks': {
      if (!accounted) return { status: 404, body: { error: `blocks of '${route.coin}' are kept by the accounting, which does not run for this coin` } };
      const limit = parseLimit(route.limit, options);
      if (typeof limit === 'string') return { status: 400, body: { error: limit } };
      return { status: 200, body: await accountant.blocks(route.coin, limit) };
    }
    case 'worker': {
      const found = accounted ? await accountant.worker(route.coin, route.worker) : engine?.stats.snapshot().workers.find((w) => w.worker === route.worker);
      if (found === undefined) return { status: 404, body: { error: `worker '${route.worker}' has no shares on '${route.coin}'` } };
      return { status: 200, body: found };
    }
  }
}

function servedCoins(options: ReadApiOptions): string[] {
  return [...new Set([...(options.accountant?.coins ?? []), ...(options.engines?.keys() ?? [])])].sort();
}

/** the limit as a number, or why it is refused */
function parseLimit(text: string | null, options: ReadApiOptions): number | string {
  const max = options.maxBlockLimit ?? 1000;
  if (text === null) return Math.min(options.defaultBlockLimit ?? 20, max);
  const limit = /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= max)) return `limit is '${text}'; it must be an integer from 1 to ${max}`;
  return limit;
}

function send(options: ReadApiOptions, res: ServerResponse, answer: Answer, head: boolean): void {
  res.statusCode = answer.status;
  res.setHeader('Access-Control-Allow-Origin', options.corsOrigin ?? '*');
  res.setHeader('Cache-Control', 'no-store');
  if (answer.status === 204 || answer.status === 405) {
    res.setHeader('Allow', ALLOWED);
    res.setHeader('Access-Control-Allow-Methods', ALLOWED);
  }
  if (answer.body === undefined) {
    res.end();
    return;
  }
  const json = JSON.stringify(answer.body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(head ? undefined : json);
}
