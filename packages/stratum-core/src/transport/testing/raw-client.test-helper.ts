import * as net from 'node:net';
import * as tls from 'node:tls';

/**
 * A client socket for tests: writes raw bytes, reads LF-terminated lines, and
 * knows when it was closed (registered at once, so a close is never missed).
 */
export class RawClient {
  readonly closed: Promise<void>;
  /** the client's own port (kept after close) */
  localPort: number | undefined;
  private buffer = '';
  private readonly lines: string[] = [];
  private readonly waiters: Array<(line: string | undefined) => void> = [];
  private ended = false;

  private constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (text: string) => {
      this.buffer += text;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        this.push(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
      }
    });
    this.closed = new Promise((done) =>
      socket.once('close', () => {
        this.ended = true;
        for (const w of this.waiters.splice(0)) w(undefined);
        done();
      }),
    );
  }

  /** A plain TCP connection to 127.0.0.1:`port`, resolved once connected. */
  static async tcp(port: number): Promise<RawClient> {
    const socket = net.connect({ host: '127.0.0.1', port });
    const client = new RawClient(socket);
    await new Promise<void>((done, fail) => {
      socket.once('connect', () => {
        client.localPort = socket.localPort;
        done();
      });
      socket.once('error', fail);
    });
    return client;
  }

  /** A TLS connection to 127.0.0.1:`port`, resolved once the handshake is done. */
  static async tls(port: number, options: tls.ConnectionOptions = { rejectUnauthorized: false }): Promise<RawClient> {
    const socket = tls.connect({ host: '127.0.0.1', port, ...options });
    const client = new RawClient(socket);
    await new Promise<void>((done, fail) => {
      socket.once('secureConnect', () => {
        client.localPort = socket.localPort;
        done();
      });
      socket.once('error', fail);
    });
    return client;
  }

  /** The next line received, or undefined once the socket closed. */
  next(): Promise<string | undefined> {
    const line = this.lines.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((done) => this.waiters.push(done));
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  destroy(): void {
    this.socket.destroy();
  }

  private push(line: string): void {
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(line);
    else this.lines.push(line);
  }
}

/**
 * A stand-in for HAProxy's `send-proxy`: a TCP relay on 127.0.0.1 that
 * writes `header` and the client's first bytes to 127.0.0.1:`targetPort` in
 * one write (so they share a packet), then relays both ways.
 */
export async function proxyRelay(targetPort: number, header: Buffer): Promise<{ port: number; close(): void }> {
  const sockets = new Set<net.Socket>();
  const relay = net.createServer((client) => {
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.setNoDelay(true);
      s.on('error', () => undefined);
      s.once('close', () => sockets.delete(s));
    }
    let first = true;
    client.on('data', (chunk: Buffer) => {
      upstream.write(first ? Buffer.concat([header, chunk]) : chunk);
      first = false;
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.destroy());
  });
  await new Promise<void>((done) => relay.listen(0, '127.0.0.1', () => done()));
  return {
    port: (relay.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}

/** Resolves once `condition()` holds, checking every 10 ms; rejects after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
