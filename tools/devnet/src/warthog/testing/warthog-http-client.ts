// Test support: HTTP GET / POST with a fresh connection (agent: false) so
// that nothing stays open after a test.
import { request } from 'node:http';

/** An HTTP reply: status, the body text and the body parsed as JSON when it is JSON. */
export interface HttpReply {
  status: number;
  text: string;
  json: unknown;
}

/** Sends `method url` with an optional body (sent as is). */
export function httpRequest(url: string, method = 'GET', body?: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    const req = request(url, { method, agent: false, headers }, (res) => {
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
        resolve({ status: res.statusCode ?? 0, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GETs `url` and returns the parsed JSON body. */
export async function getJson<T = unknown>(url: string): Promise<T> {
  return (await httpRequest(url)).json as T;
}

/** POSTs `body` as JSON and returns the parsed JSON reply. */
export async function postJson<T = unknown>(url: string, body: unknown): Promise<T> {
  return (await httpRequest(url, 'POST', JSON.stringify(body))).json as T;
}
