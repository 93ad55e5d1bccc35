// Test support: a JSON-RPC 1.0 call over node:http with a fresh connection
// (agent: false) so that nothing stays open after a test.
import { request } from 'node:http';

/** An HTTP reply: status, headers and the body parsed as JSON when it is JSON. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: { result: unknown; error: { code: number; message: string } | null; id: unknown } | unknown;
}

/** POSTs `body` (a string, sent as is) to `url`, with basic auth when `auth` is "user:password". */
export function post(url: string, body: string, auth?: string, method = 'POST'): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, auth, headers: { 'Content-Type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A bitcoind JSON-RPC reply. */
export interface RpcReply<T> {
  status: number;
  result: T;
  error: { code: number; message: string } | null;
  id: unknown;
}

/** Calls `method` with `params`; resolves with status, result, error and id. */
export async function rpc<T = unknown>(url: string, method: string, params: unknown = [], auth?: string): Promise<RpcReply<T>> {
  const reply = await post(url, JSON.stringify({ method, params, id: method }), auth);
  const body = reply.json as { result: T; error: { code: number; message: string } | null; id: unknown };
  return { status: reply.status, ...body };
}
