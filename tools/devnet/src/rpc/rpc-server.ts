import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LodeError } from '@lode/stratum-core';
import type { DevnetNode } from '../node/devnet-node';
import { dispatchJsonRpc } from './json-rpc-dispatch';
import type { JsonRpcReply } from './json-rpc-dispatch';
import { isAuthorized } from './rpc-auth';
import type { RpcCredentials } from './rpc-auth';
import { RpcErrorCode } from './rpc-errors';
import type { RpcMethod } from './rpc-method';

/** Default cap on a request body: 8 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;

/** Options of {@link startRpcServer}. */
export interface RpcServerOptions {
  node: DevnetNode;
  methods: ReadonlyMap<string, RpcMethod>;
  /** interface to listen on, e.g. "127.0.0.1" */
  host: string;
  /** TCP port; 0 picks a free one */
  port: number;
  /** required basic-auth credentials; null accepts every request (in-process tests only) */
  credentials: RpcCredentials | null;
  /** largest request body in bytes; default 8 MiB */
  maxBodyBytes?: number;
  /** most open client connections; default 64 */
  maxConnections?: number;
}

/** A listening RPC server. */
export interface RpcServer {
  host: string;
  port: number;
  /** "http://host:port" */
  url: string;
  /** Stops accepting, ends every connection, resolves when closed. */
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: JsonRpcReply | JsonRpcReply[] | string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/html; charset=ISO-8859-1' : 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage, cap: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > cap) {
      reject(new LodeError('node', `request body of ${declared} bytes is over the devnet's cap of ${cap} bytes`, { code: -32600 }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        req.removeAllListeners('data');
        req.pause();
        reject(new LodeError('node', `request body is over the devnet's cap of ${cap} bytes`, { code: -32600 }));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Serves bitcoind's JSON-RPC over HTTP: POST to "/" (or "/wallet/<name>")
 * with a JSON-RPC 1.0 body, replies `{"result":…,"error":null|{"code","message"},"id":…}`.
 *
 * - another path: 404; not POST: 405
 * - wrong or missing basic auth (when `credentials` is set): 401, empty body,
 *   `WWW-Authenticate: Basic realm="jsonrpc"`
 * - body over `maxBodyBytes`: 413 with error -32600 naming the cap, connection closed
 * - body that is not JSON: 500 with error -32700 "Parse error"
 * - then as {@link dispatchJsonRpc}
 *
 * A long poll ends early when its client disconnects.
 *
 * @throws LodeError('connection') when the port cannot be bound
 * @see Bitcoin Core src/httprpc.cpp, src/httpserver.cpp
 */
export function startRpcServer(options: RpcServerOptions): Promise<RpcServer> {
  const cap = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { node, methods, credentials } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/' && !path.startsWith('/wallet/')) {
      req.resume();
      send(res, 404, '');
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      send(res, 405, 'JSONRPC server handles only POST requests');
      return;
    }
    if (credentials && !isAuthorized(req.headers.authorization, credentials)) {
      req.resume();
      send(res, 401, '', { 'WWW-Authenticate': 'Basic realm="jsonrpc"' });
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, cap);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      send(res, 413, { result: null, error: { code: RpcErrorCode.INVALID_REQUEST, message }, id: null }, { Connection: 'close' });
      res.on('finish', () => req.destroy());
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      send(res, 500, { result: null, error: { code: RpcErrorCode.PARSE_ERROR, message: 'Parse error' }, id: null });
      return;
    }
    const reply = await dispatchJsonRpc(body, methods, { node, signal: aborted.signal });
    send(res, reply.status, reply.body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      send(res, 500, { result: null, error: { code: RpcErrorCode.MISC_ERROR, message }, id: null });
    });
  });
  server.maxConnections = options.maxConnections ?? 64;

  return new Promise<RpcServer>((resolve, reject) => {
    const onError = (cause: Error): void => {
      reject(new LodeError('connection', `devnet RPC cannot listen on ${options.host}:${options.port}: ${cause.message}`, { cause }));
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      const port = (server.address() as AddressInfo).port;
      const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        host: options.host,
        port,
        url: `http://${hostInUrl}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
