import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One HTTP request as the fake node saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  /** the parsed JSON body (POST), else undefined */
  body: unknown;
  authorization?: string;
}

/** What a handler answers: an HTTP status and a body (a string is sent as is), or `hold` to never answer. */
export type FakeAnswer = { status?: number; body: unknown } | 'hold';

/**
 * A tiny Warthog node stand-in on 127.0.0.1:<random port> answering its
 * HTTP/JSON API with `{code, data|error}` envelopes (facts/warthog.md §4.1).
 * Test-only; `close()` ends held requests and the server.
 */
export class FakeWarthogNode {
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
      const text = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        authorization: req.headers.authorization,
      };
      this.seen.push(seen);
      const answer = this.handler(seen);
      if (answer === 'hold') {
        this.held.add(res);
        res.on('close', () => this.held.delete(res));
        return;
      }
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(body);
    });
  }
}

/** A success envelope `{"code":0,"data":...}`. */
export function ok(data: unknown): { status: number; body: unknown } {
  return { status: 200, body: { code: 0, data } };
}

/** An error envelope `{"code":<code>,"error":"<message>"}`. */
export function refused(code: number, error: string, status = 200): { status: number; body: unknown } {
  return { status, body: { code, error } };
}
