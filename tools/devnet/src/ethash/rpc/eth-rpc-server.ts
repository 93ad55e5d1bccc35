import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError } from '@lode/stratum-core';
import type { EthashDevnetNode } from '../node/ethash-devnet-node';
import { dispatchEthJsonRpc } from './eth-json-rpc-dispatch';
import type { EthJsonRpcReply } from './eth-json-rpc-dispatch';
import { EthRpcErrorCode } from './eth-rpc-errors';
import type { EthRpcMethod } from './eth-rpc-method';

/** Default cap on a request body: 5 MiB, geth's `defaultBodyLimit`. */
export const DEFAULT_ETH_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** The content types geth accepts for JSON-RPC over HTTP. */
const ACCEPTED_CONTENT_TYPES = new Set(['application/json', 'application/json-rpc', 'application/jsonrequest']);

/** Options of {@link startEthRpcServer}. */
export interface EthRpcServerOptions {
  node: EthashDevnetNode;
  methods: ReadonlyMap<string, EthRpcMethod>;
  /** interface to listen on, e.g. "127.0.0.1" */
  host: string;
  /** TCP port; 0 picks a free one */
  port: number;
  /** largest request body in bytes; default 5 MiB */
  maxBodyBytes?: number;
  /** most open client connections; default 64 */
  maxConnections?: number;
}

/** A listening JSON-RPC server. */
export interface EthRpcServer {
  host: string;
  port: number;
  /** "http://host:port" */
  url: string;
  /** Stops accepting, lets the requests in flight finish, ends every connection. */
  close(): Promise<void>;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendJson(res: ServerResponse, body: EthJsonRpcReply | EthJsonRpcReply[] | undefined): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : `${JSON.stringify(body)}\n`;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
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
 * Serves JSON-RPC 2.0 over HTTP as geth does (go-ethereum rpc/http.go):
 *
 * - GET without a body or query: 200 with an empty body (health checks); OPTIONS: 200
 * - any other method but POST: 405 "method not allowed"
 * - Content-Length over `maxBodyBytes`: 413 "content length too large (N>M)"
 *   (a streamed body over the cap: 413 too, and the connection closes)
 * - Content-Type not application/json (or json-rpc / jsonrequest): 415
 *   "invalid content type, only application/json is supported"
 * - a body that is not JSON: 200 with -32700 "parse error"
 * - then as {@link dispatchEthJsonRpc}, always status 200, `Content-Type: application/json`
 *
 * No authentication (geth's HTTP RPC has none). Any path is served.
 *
 * @throws LodeError('connection') when the port cannot be bound
 */
export function startEthRpcServer(options: EthRpcServerOptions): Promise<EthRpcServer> {
  const cap = options.maxBodyBytes ?? DEFAULT_ETH_MAX_BODY_BYTES;
  const { node, methods } = options;
  const active = new Set<Promise<void>>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'GET' && !req.headers['content-length'] && !(req.url ?? '').includes('?')) {
      req.resume();
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return;
    }
    if (req.method === 'OPTIONS') {
      req.resume();
      res.writeHead(200, { 'Content-Length': 0 }).end();
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendText(res, 405, 'method not allowed\n');
      return;
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > cap) {
      req.resume();
      sendText(res, 413, `content length too large (${declared}>${cap})\n`);
      return;
    }
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ACCEPTED_CONTENT_TYPES.has(mediaType)) {
      req.resume();
      sendText(res, 415, 'invalid content type, only application/json is supported\n');
      return;
    }
    const raw = await readBody(req, cap);
    if (raw === undefined) {
      res.setHeader('Connection', 'close');
      sendText(res, 413, `content length too large (>${cap})\n`);
      res.on('finish', () => req.destroy());
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      sendJson(res, { jsonrpc: '2.0', id: null, error: { code: EthRpcErrorCode.PARSE_ERROR, message: 'parse error' } });
      return;
    }
    sendJson(res, await dispatchEthJsonRpc(body, methods, { node }));
  };

  const server: Server = createServer((req, res) => {
    const done = handle(req, res).catch((e: unknown) => {
      sendJson(res, { jsonrpc: '2.0', id: null, error: { code: EthRpcErrorCode.SERVER_ERROR, message: e instanceof Error ? e.message : String(e) } });
    });
    active.add(done);
    void done.finally(() => active.delete(done));
  });
  server.maxConnections = options.maxConnections ?? 64;

  return new Promise<EthRpcServer>((resolve, reject) => {
    const onError = (cause: Error): void => {
      reject(new LodeError('connection', `ethash devnet RPC cannot listen on ${options.host}:${options.port}: ${cause.message}`, { cause }));
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
