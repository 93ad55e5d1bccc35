import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError, type LodeLogger } from '@lode/stratum-core';

/** What {@link startMetricsServer} serves: the exposition text (Prometheus text format 0.0.4) and its content type, made at each scrape. */
export interface MetricsSource {
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** A running metrics endpoint ({@link startMetricsServer}). */
export interface RunningMetricsServer {
  /** the scrape URL as bound ("http://127.0.0.1:9100/metrics") */
  readonly url: string;
  /** stops listening and closes every connection */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (and HEAD) with the registry's exposition text over
 * node:http; any other path is 404, any other method 405. Request bodies are
 * never read.
 * Pool, proxy and miner each serve their registry with it (docs/metrics.md).
 *
 * @param options where to listen (port 0 gives a free port)
 * @throws LodeError('connection') when the address cannot be bound
 */
export async function startMetricsServer(
  options: { host: string; port: number },
  metrics: MetricsSource,
  logger: LodeLogger,
): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: the metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics scrape failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    const refused = (e: Error) => reject(new LodeError('connection', `metrics endpoint cannot listen on ${options.host}:${options.port}: ${e.message}`, { cause: e }));
    server.once('error', refused);
    server.listen(options.port, options.host, () => {
      server.off('error', refused);
      resolve();
    });
  });
  server.on('error', (e) => logger.error({ err: e.message }, 'metrics server error'));
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
