// Test support: JSON-RPC 2.0 over node:http with a fresh connection
// (agent: false) so that nothing stays open after a test.
import { request } from 'node:http';

/** An HTTP reply: status, headers, the body text and the body parsed as JSON when it is JSON. */
export interface EthHttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/** POSTs `body` (sent as is) to `url` with the given content type. */
export function postRaw(url: string, body: string, contentType = 'application/json', method = 'POST'): Promise<EthHttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { 'Content-Type': contentType } }, (res) => {
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

/** A geth JSON-RPC 2.0 reply with its HTTP status. */
export interface EthRpcReply<T> {
  status: number;
  jsonrpc: string;
  id: unknown;
  result?: T;
  error?: { code: number; message: string };
}

/** Calls `method` with `params` as JSON-RPC 2.0 (id 1). */
export async function ethRpc<T = unknown>(url: string, method: string, params: unknown[] = []): Promise<EthRpcReply<T>> {
  const reply = await postRaw(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
  return { status: reply.status, ...(reply.json as Omit<EthRpcReply<T>, 'status'>) };
}
