import { connect, type Socket } from 'node:net';

/** A raw JSON-lines TCP client, for speaking Stratum byte by byte in tests. */
export class LineClient {
  private buffer = '';
  private readonly queue: string[] = [];
  private readonly waiters: ((line: string | undefined) => void)[] = [];
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        const w = this.waiters.shift();
        if (w) w(line);
        else this.queue.push(line);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(undefined);
    });
    socket.on('error', () => undefined);
  }

  static open(host: string, port: number): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }

  send(raw: string | Buffer): void {
    this.socket.write(raw);
  }

  sendJson(message: unknown): void {
    this.socket.write(`${JSON.stringify(message)}\n`);
  }

  /** The next line, or undefined when the socket closed first. */
  next(timeoutMs = 10000): Promise<string | undefined> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push((line) => (clearTimeout(timer), resolve(line)));
    });
  }

  /** Reads lines until one parses as JSON with the given id (a reply); notifications seen on the way are returned too. */
  async reply(id: number | null, timeoutMs = 10000): Promise<{ reply: Record<string, unknown>; notifications: Record<string, unknown>[] }> {
    const notifications: Record<string, unknown>[] = [];
    for (;;) {
      const line = await this.next(timeoutMs);
      if (line === undefined) throw new Error(`socket closed before the reply to id ${id}`);
      const msg = JSON.parse(line) as Record<string, unknown>;
      if ('method' in msg && msg['method'] !== undefined) notifications.push(msg);
      else if (msg['id'] === id) return { reply: msg, notifications };
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
