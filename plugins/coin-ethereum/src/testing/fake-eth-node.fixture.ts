import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One JSON-RPC request as the fake node saw it. */
export interface SeenRequest {
  method: string;
  params: unknown[];
  jsonrpc: unknown;
  authorization?: string;
}

/** What a handler answers: an HTTP status and a body (a string is sent as is), or `hold` to never answer. */
export type FakeAnswer = { status?: number; body: unknown } | 'hold';

/**
 * A tiny Ethereum node stand-in on 127.0.0.1:<random port> speaking JSON-RPC
 * 2.0 over HTTP, as geth does. Test-only; `close()` ends held requests and the server.
 */
export class FakeEthNode {
  readonly seen: SeenRequest[] = [];
  private server?: Server;
  private readonly held = new Set<ServerResponse>();

  constructor(private handler: (req: SeenRequest) => FakeAnswer) {}

  setHandler(handler: (req: SeenRequest) => FakeAnswer): void {
    this.handler = handler;
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.held.clear();
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: unknown; method: string; params: unknown[]; jsonrpc: unknown };
      const seen: SeenRequest = { method: body.method, params: body.params, jsonrpc: body.jsonrpc, authorization: req.headers.authorization };
      this.seen.push(seen);
      const answer = this.handler(seen);
      if (answer === 'hold') {
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
        return;
      }
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(text);
    });
  }
}

/** A JSON-RPC 2.0 success body. */
export function ok(result: unknown): { status: number; body: unknown } {
  return { status: 200, body: { jsonrpc: '2.0', id: 1, result } };
}

/** A JSON-RPC 2.0 error body (geth answers them with HTTP 200). */
export function rpcError(code: number, message: string, status = 200): { status: number; body: unknown } {
  return { status, body: { jsonrpc: '2.0', id: 1, error: { code, message } } };
}
