import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError } from '@lode/stratum-core';
import { WARTHOG_NODE_ERRORS } from '../chain/node-errors';
import type { WarthogDevnetNode } from '../node/warthog-devnet-node';

/** Default cap on a request body: 1 MiB (a body is at most 35000 bytes, 70000 hex digits). */
export const DEFAULT_WARTHOG_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link startWarthogHttpServer}. */
export interface WarthogHttpServerOptions {
  node: WarthogDevnetNode;
  /** interface to listen on, e.g. "127.0.0.1" */
  host: string;
  /** TCP port; 0 picks a free one */
  port: number;
  /** largest request body in bytes; default 1 MiB */
  maxBodyBytes?: number;
  /** most open client connections; default 64 */
  maxConnections?: number;
}

/** A listening HTTP server. */
export interface WarthogHttpServer {
  host: string;
  port: number;
  /** "http://host:port" */
  url: string;
  /** Stops accepting, lets the requests in flight finish, ends every connection. */
  close(): Promise<void>;
}

const MINE_PATH = /^\/chain\/mine\/([^/]*)(?:\/log)?\/?$/;

/** A path segment without its %-escapes; a malformed escape leaves it as is (the address check then fails). */
function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, cap: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Serves the Warthog node's mining API over plain HTTP/JSON, every answer
 * an envelope with status 200 (facts/warthog.md §4.1):
 *
 * - `GET /chain/mine/:account` (and `/chain/mine/:account/log`): WarthogDevnetNode.mine
 * - `GET /chain/head`: WarthogDevnetNode.head
 * - `POST /chain/append` with `{"height","header","body"}`: WarthogDevnetNode.append;
 *   a body that is not JSON gets EINV_ARGS (95); one over `maxBodyBytes`
 *   gets status 413 with EINV_ARGS and the connection closes
 * - anything else: status 404, ENOTFOUND (57, "not found")
 *
 * No authentication (the node's RPC port is private to the host).
 *
 * @throws LodeError('connection') when the port cannot be bound
 */
export function startWarthogHttpServer(options: WarthogHttpServerOptions): Promise<WarthogHttpServer> {
  const cap = options.maxBodyBytes ?? DEFAULT_WARTHOG_MAX_BODY_BYTES;
  const { node } = options;
  const active = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/chain/head') {
      req.resume();
      sendJson(res, 200, node.head());
      return;
    }
    const mine = req.method === 'GET' ? MINE_PATH.exec(path) : null;
    if (mine) {
      req.resume();
      sendJson(res, 200, node.mine(decodePathSegment(mine[1])));
      return;
    }
    if (req.method === 'POST' && path === '/chain/append') {
      const raw = await readBody(req, cap);
      if (raw === undefined) {
        res.setHeader('Connection', 'close');
        sendJson(res, 413, WARTHOG_NODE_ERRORS.EINV_ARGS);
        res.on('finish', () => req.destroy());
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
      sendJson(res, 200, node.append(body));
      return;
    }
    req.resume();
    sendJson(res, 404, WARTHOG_NODE_ERRORS.ENOTFOUND);
  };

  const server: Server = createServer((req, res) => {
    const done = handle(req, res).catch((e: unknown) => {
      sendJson(res, 500, { code: 2000, error: e instanceof Error ? e.message : String(e) });
    });
    active.add(done);
    void done.finally(() => active.delete(done));
  });
  server.maxConnections = options.maxConnections ?? 64;

  return new Promise<WarthogHttpServer>((resolve, reject) => {
    const onError = (cause: Error): void => {
      reject(new LodeError('connection', `warthog devnet cannot listen on ${options.host}:${options.port}: ${cause.message}`, { cause }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const port = (server.address() as AddressInfo).port;
      const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
      let closing: Promise<void> | undefined;
      resolve({
        host: options.host,
        port,
        url: `http://${hostInUrl}:${port}`,
        close: () => {
          closing ??= (async () => {
            const closed = new Promise<void>((done) => server.close(() => done()));
            server.closeIdleConnections();
            await Promise.allSettled([...active]);
            server.closeAllConnections();
            await closed;
          })();
          return closing;
        },
      });
    });
  });
}
