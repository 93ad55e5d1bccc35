import { connect, type Socket } from 'node:net';

/**
 * A miner's end of a TCP connection, seen as raw lines, so that the
 * transcripts of facts/ethash.md §1 are asserted literally.
 */
export class RawMiner {
  private buffer = '';
  readonly lines: string[] = [];
  private wake?: () => void;
  /** resolves when the pool closed the connection */
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(this.buffer.slice(0, i));
        this.buffer = this.buffer.slice(i + 1);
        this.wake?.();
      }
    });
    this.closed = new Promise((done) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wake?.();
        done();
      }),
    );
  }

  static open(port: number): Promise<RawMiner> {
    return new Promise((done) => {
      const socket = connect({ host: '127.0.0.1', port }, () => done(new RawMiner(socket)));
    });
  }

  send(line: string): void {
    this.socket.write(`${line}\n`);
  }

  /**
   * the next line not read yet
   *
   * @throws Error when the connection closed with no line left
   */
  async next(): Promise<string> {
    while (this.lines.length === 0) {
      if (this.isClosed) throw new Error('the pool closed the connection');
      await new Promise<void>((r) => (this.wake = r));
    }
    return this.lines.shift() as string;
  }

  /** the next line, parsed */
  async nextJson<T = Record<string, unknown>>(): Promise<T> {
    return JSON.parse(await this.next()) as T;
  }

  close(): void {
    this.socket.destroy();
  }
}
