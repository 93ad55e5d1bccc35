import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Subscription } from 'rxjs';
import { LodeError, type LodeLogger } from '@lode/stratum-core';
import { DashboardFiles, type DashboardFile } from './dashboard-files';
import { HashrateHistory } from './hashrate-history';
import type { ReadApiOptions } from './read-api-options';
import { matchReadApiRoute, READ_API_PATHS, type ReadApiRoute } from './read-api-route';
import { belongsTo, byHashrate, engineBlockView, minerView, workerViewOfAccount, workerViewOfEntry, type EngineBlockView, type WorkerView } from './read-api-views';
import { RingBuffer } from './ring-buffer';

/** A running read API ({@link startReadApi}). */
export interface RunningReadApi {
  /** base URL as bound ("http://127.0.0.1:8080"); the dashboard is at `${url}/dashboard/` */
  readonly url: string;
  /** takes a hashrate history sample of every coin now (the timer takes one every historyIntervalSeconds) */
  sampleHistory(): Promise<void>;
  /** stops sampling, ends the block subscriptions, stops listening and closes every connection, idle or not */
  close(): Promise<void>;
}

const ALLOWED = 'GET, HEAD, OPTIONS';

/** The dashboard page may load its own files and call its own API, nothing else. */
const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An answer: HTTP status and a JSON body, or a file, plus headers. */
interface Answer {
  status: number;
  body?: unknown;
  file?: DashboardFile;
  headers?: Record<string, string>;
}

/** What one running API holds besides the server. */
interface ApiState {
  options: ReadApiOptions;
  clock: () => number;
  history: HashrateHistory;
  /** blocks found by engines, per coin, kept for coins no accountant covers */
  engineBlocks: Map<string, RingBuffer<EngineBlockView>>;
  files: DashboardFiles | undefined;
}

/**
 * Starts the pool's read-only JSON API and dashboard over node:http.
 * docs/api.md documents every route, its query parameters, its answer
 * (units: hashrate H/s, difficulty not target, times ms since epoch) and
 * its errors.
 *
 * Routes (GET or HEAD; OPTIONS answers a CORS preflight with 204):
 * - `/health` -> 200 `{ status: "ok", coins: [...] }`
 * - `/api/stats/:coin` -> 200, the accountant's `stats(coin)`, or the
 *   engine's `stats.snapshot()` when only an engine serves the coin
 * - `/api/history/:coin?since=T` -> 200, the pool hashrate sampled every
 *   historyIntervalSeconds (accountant when it covers the coin, else engine)
 * - `/api/workers/:coin?limit=N` -> 200, workers highest hashrate first
 * - `/api/workers/:coin/:name` -> 200, one worker (source's own shape); 404 when never seen
 * - `/api/miners/:coin/:address?blocks=N` -> 200, the workers of one payout
 *   address summed, the blocks they found and their credited reward; 404
 *   when no worker belongs to the address
 * - `/api/blocks/:coin?limit=N` -> 200, the accountant's last N blocks, or
 *   those this instance's engine found (kept in memory); 404 when neither
 * - `/api/ports` -> 200 `{ ports: PortInfo[] }`
 * - `/`, `/dashboard` -> 302 to `dashboard/`; `/dashboard/` and the
 *   allow-listed `/dashboard/<file>` -> the page (DASHBOARD_FILES)
 *
 * Limits are integers in [1, max]. Errors are JSON `{ error: "..." }`: 400
 * for a bad query value, 404 for an unknown path, coin, worker, address or
 * dashboard file, 405 (with `Allow`) for another method, 503 when the
 * accountant's store failed (LodeError 'store'), 500 otherwise (logged, not
 * echoed). Every answer carries `Access-Control-Allow-Origin`; JSON answers
 * `Cache-Control: no-store`; bigints in a body are written as decimal
 * strings. Request bodies are never read.
 *
 * @param options where to listen and what to read
 * @param logger receives one line per failed read or skipped sample
 * @returns the bound URL, sampleHistory() and close()
 * @throws LodeError('connection') when the address cannot be bound;
 *   LodeError('config') for a bad history interval or size
 */
export async function startReadApi(options: ReadApiOptions, logger: LodeLogger): Promise<RunningReadApi> {
  const log = logger.child({ component: 'read-api' });
  const clock = options.clock ?? Date.now;
  const history = new HashrateHistory({
    coins: servedCoins(options),
    intervalSeconds: options.historyIntervalSeconds ?? 60,
    points: options.historyPoints ?? 1440,
    sample: (coin) => sampleHashrate(options, coin),
    clock,
    logger: log,
  });
  const state: ApiState = {
    options,
    clock,
    history,
    engineBlocks: new Map(),
    files: options.dashboard === false ? undefined : new DashboardFiles(options.dashboardDir),
  };
  const server = createServer((req, res) => {
    void handle(state, log, req, res);
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

  const subscriptions: Subscription[] = [];
  for (const [coin, engine] of options.engines ?? []) {
    if (engine.blocks$ === undefined) continue;
    const ring = new RingBuffer<EngineBlockView>(options.maxBlockLimit ?? 1000);
    state.engineBlocks.set(coin, ring);
    subscriptions.push(engine.blocks$.subscribe((block) => ring.push(engineBlockView(block, clock()))));
  }
  await history.start();

  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    sampleHistory: () => history.sampleNow(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        history.stop();
        for (const s of subscriptions) s.unsubscribe();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(state: ApiState, log: LodeLogger, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const route = matchReadApiRoute(req.url ?? '/');
  let answer: Answer;
  if (route === undefined) {
    answer = notFoundPath(req.url);
  } else if (method === 'OPTIONS') {
    answer = { status: 204 };
  } else if (method !== 'GET' && method !== 'HEAD') {
    answer = { status: 405, body: { error: `method ${method} is not allowed; the read API answers ${ALLOWED}` } };
  } else {
    try {
      answer = await read(state, route, req.url);
    } catch (e) {
      const store = LodeError.is(e, 'store');
      log.error({ err: e, path: req.url }, 'read API request failed');
      answer = store ? { status: 503, body: { error: 'the statistics store is unavailable' } } : { status: 500, body: { error: 'internal error' } };
    }
  }
  send(state.options, res, answer, method === 'HEAD');
}

function notFoundPath(url: string | undefined): Answer {
  return { status: 404, body: { error: `no such path: ${url ?? ''} (read API paths: ${READ_API_PATHS})` } };
}

async function read(state: ApiState, route: ReadApiRoute, url: string | undefined): Promise<Answer> {
  const { options } = state;
  const { accountant, engines } = options;
  switch (route.kind) {
    case 'health':
      return { status: 200, body: { status: 'ok', coins: servedCoins(options) } };
    case 'ports':
      return { status: 200, body: { ports: options.ports?.() ?? [] } };
    case 'redirect':
      if (state.files === undefined) return notFoundPath(url);
      return { status: 302, headers: { Location: route.location } };
    case 'static': {
      const file = await state.files?.read(route.file);
      if (file === undefined) return { status: 404, body: { error: `no such dashboard file: ${route.file}` } };
      return { status: 200, file };
    }
    default:
      break;
  }
  const accounted = accountant !== undefined && accountant.coins.includes(route.coin);
  const engine = engines?.get(route.coin);
  if (!accounted && engine === undefined) {
    return { status: 404, body: { error: `coin '${route.coin}' is not served here (served: ${servedCoins(options).join(', ') || 'none'})` } };
  }
  switch (route.kind) {
    case 'stats':
      return { status: 200, body: accounted ? await accountant.stats(route.coin) : engine?.stats.snapshot() };
    case 'history': {
      let since = Number.NEGATIVE_INFINITY;
      if (route.since !== null) {
        if (!/^[0-9]{1,16}$/.test(route.since)) return { status: 400, body: { error: `since is '${route.since}'; it must be a time in ms since epoch (an integer >= 0)` } };
        since = Number(route.since);
      }
      const { history } = state;
      return { status: 200, body: { coin: route.coin, intervalSeconds: history.intervalSeconds, capacity: history.capacity, points: history.points(route.coin, since) ?? [] } };
    }
    case 'workers': {
      const limit = parseLimit('limit', route.limit, options.defaultWorkerLimit ?? 500, options.maxWorkerLimit ?? 10000);
      if (typeof limit === 'string') return { status: 400, body: { error: limit } };
      const all = await workerViews(state, route.coin, accounted);
      return { status: 200, body: { coin: route.coin, time: all.time, windowSeconds: all.windowSeconds, total: all.workers.length, workers: all.workers.sort(byHashrate).slice(0, limit) } };
    }
    case 'worker': {
      const found = accounted ? await accountant.worker(route.coin, route.worker) : engine?.stats.snapshot().workers.find((w) => w.worker === route.worker);
      if (found === undefined) return { status: 404, body: { error: `worker '${route.worker}' has no shares on '${route.coin}'` } };
      return { status: 200, body: found };
    }
    case 'miner': {
      const limit = parseLimit('blocks', route.blocks, options.defaultBlockLimit ?? 20, options.maxBlockLimit ?? 1000);
      if (typeof limit === 'string') return { status: 400, body: { error: limit } };
      const all = await workerViews(state, route.coin, accounted);
      const mine = all.workers.filter((w) => belongsTo(route.address, w.worker));
      if (mine.length === 0) return { status: 404, body: { error: `address '${route.address}' has no workers on '${route.coin}'` } };
      const blocks = accounted ? await accountant.blocks(route.coin, limit) : newestFirst(state.engineBlocks.get(route.coin), limit);
      return { status: 200, body: minerView({ coin: route.coin, address: route.address, time: all.time, windowSeconds: all.windowSeconds }, mine, blocks, accounted) };
    }
    case 'blocks': {
      const ring = state.engineBlocks.get(route.coin);
      if (!accounted && ring === undefined) {
        return { status: 404, body: { error: `blocks of '${route.coin}' are kept by the accounting, which does not run for this coin` } };
      }
      const limit = parseLimit('limit', route.limit, options.defaultBlockLimit ?? 20, options.maxBlockLimit ?? 1000);
      if (typeof limit === 'string') return { status: 400, body: { error: limit } };
      return { status: 200, body: accounted ? await accountant.blocks(route.coin, limit) : newestFirst(ring, limit) };
    }
  }
}

/** every worker of a coin as WorkerView, with the time and window of the source */
async function workerViews(state: ApiState, coin: string, accounted: boolean): Promise<{ time: number; windowSeconds: number; workers: WorkerView[] }> {
  const { accountant, engines } = state.options;
  if (accounted && accountant !== undefined) {
    const stats = await accountant.stats(coin);
    return { time: stats.time, windowSeconds: stats.windowSeconds, workers: stats.workers.map(workerViewOfAccount) };
  }
  const snapshot = engines?.get(coin)?.stats.snapshot();
  // read() answered 404 already for a coin with neither source
  if (snapshot === undefined) throw new LodeError('config', `coin '${coin}' has no engine`);
  return { time: snapshot.time, windowSeconds: snapshot.windowSeconds, workers: snapshot.workers.map(workerViewOfEntry) };
}

function newestFirst(ring: RingBuffer<EngineBlockView> | undefined, limit: number): EngineBlockView[] {
  return (ring?.toArray() ?? []).reverse().slice(0, limit);
}

/** one coin's pool hashrate and active workers, from the accountant when it covers the coin, else the engine */
async function sampleHashrate(options: ReadApiOptions, coin: string): Promise<{ hashrate: number; workers: number }> {
  const { accountant, engines } = options;
  if (accountant?.coins.includes(coin)) {
    const stats = await accountant.stats(coin);
    return { hashrate: stats.pool.hashrate, workers: stats.workers.filter((w) => w.hashrate > 0).length };
  }
  const snapshot = engines?.get(coin)?.stats.snapshot();
  if (snapshot === undefined) throw new LodeError('config', `coin '${coin}' has no engine to sample`);
  return { hashrate: snapshot.pool.hashrate, workers: snapshot.workers.filter((w) => w.hashrate > 0).length };
}

function servedCoins(options: ReadApiOptions): string[] {
  return [...new Set([...(options.accountant?.coins ?? []), ...(options.engines?.keys() ?? [])])].sort();
}

/** the query value as a number in [1, max] (`fallback` when absent), or why it is refused */
function parseLimit(name: string, text: string | null, fallback: number, max: number): number | string {
  if (text === null) return Math.min(fallback, max);
  const limit = /^[0-9]{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= max)) return `${name} is '${text}'; it must be an integer from 1 to ${max}`;
  return limit;
}

function send(options: ReadApiOptions, res: ServerResponse, answer: Answer, head: boolean): void {
  res.statusCode = answer.status;
  res.setHeader('Access-Control-Allow-Origin', options.corsOrigin ?? '*');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.status === 204 || answer.status === 405) {
    res.setHeader('Allow', ALLOWED);
    res.setHeader('Access-Control-Allow-Methods', ALLOWED);
  }
  if (answer.file !== undefined) {
    // The page changes only with the pool's version: revalidate, never serve a stale copy blindly.
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Type', answer.file.contentType);
    if (answer.file.contentType.startsWith('text/html')) res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    res.setHeader('Content-Length', answer.file.body.length);
    res.end(head ? undefined : answer.file.body);
    return;
  }
  res.setHeader('Cache-Control', 'no-store');
  if (answer.body === undefined) {
    res.end();
    return;
  }
  const json = JSON.stringify(answer.body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(head ? undefined : json);
}
