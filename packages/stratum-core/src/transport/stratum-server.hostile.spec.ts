import * as net from 'node:net';
import fc from 'fast-check';
import { LineFramer } from '../framing/line-framer';
import { classicCodec } from '../rpc/classic-codec';
import { RpcPeer } from '../rpc/rpc-peer';
import type { CloseInfo } from './line-transport';
import type { StratumConnection } from './stratum-connection';
import { StratumServer } from './stratum-server';

/*
 * Hostile peers against a real StratumServer on loopback: slowloris (bytes
 * without a newline), a peer that never reads, a flood of requests,
 * half-open and reset connections, and garbage bytes. Throughout, a
 * well-behaved miner on the same server keeps sending requests and must get
 * every reply, in order; the hostile connection is closed with the
 * documented reason (facts: DESIGN "no unbounded buffer anywhere: send
 * queues have a cap, and a peer that cannot keep up is disconnected with a
 * logged reason"). Limits are small so that the whole file takes a few
 * seconds; no assertion depends on timing, only on what was received (the
 * idle timeout is long enough that a busy process never trips it early).
 */

const MAX_LINE = 1024;
const MAX_SEND_QUEUE = 256 * 1024;
// Long enough that the good miner (a request every 5 ms) is never taken for idle
// while the test process is busy (5,000 flood replies, a loaded CI machine):
// at 400 ms it once was.
const IDLE_MS = 3000;
/** The payload the server pushes to every connection on `broadcast()`, like a mining.notify fan-out. */
const NOTIFY = `{"id":null,"method":"mining.notify","params":["${'ab'.repeat(4000)}"]}`;

/** The pool under test: a StratumServer and, per connection, an RpcPeer answering every request. */
class EchoPool {
  readonly server = new StratumServer({
    host: '127.0.0.1',
    port: 0,
    maxLineBytes: MAX_LINE,
    maxSendQueueBytes: MAX_SEND_QUEUE,
    idleTimeoutMs: IDLE_MS,
  });
  /** server-side connections by the client's local port */
  readonly byPort = new Map<number, StratumConnection>();
  readonly closes = new Map<number, CloseInfo>();
  /** errors thrown out of a subscriber: must stay empty */
  readonly thrown: unknown[] = [];
  port = 0;

  async start(): Promise<void> {
    this.server.connections$.subscribe((conn) => {
      const port = conn.remotePort as number;
      this.byPort.set(port, conn);
      const peer = new RpcPeer(conn, classicCodec);
      peer.requests$.subscribe((req) => {
        try {
          peer.respond(req.id, req.method === 'big' ? 'x'.repeat(60_000) : 'pong');
        } catch (e) {
          this.thrown.push(e);
        }
      });
      peer.invalid$.subscribe((bad) => {
        if (bad.id !== null || !bad.line.includes('"result"')) peer.respondError(bad.id, { code: -32700, message: bad.reason.slice(0, 60) });
      });
      conn.closed$.subscribe((info) => this.closes.set(port, info));
    });
    ({ port: this.port } = await this.server.listen());
  }

  /** Writes NOTIFY to every open connection. */
  broadcast(): void {
    for (const conn of this.byPort.values()) conn.send(NOTIFY);
  }

  /** Resolves once the server side of the client on `localPort` has closed. */
  closed(localPort: number): Promise<CloseInfo> {
    const conn = this.byPort.get(localPort);
    if (conn === undefined) return Promise.reject(new Error(`no connection from port ${localPort}`));
    return new Promise((resolve) => conn.closed$.subscribe((info) => resolve(info)));
  }

  /** Resolves once the server has accepted the connection from `localPort`. */
  async accepted(localPort: number): Promise<StratumConnection> {
    for (let i = 0; i < 1000 && !this.byPort.has(localPort); i++) await new Promise((r) => setImmediate(r));
    const conn = this.byPort.get(localPort);
    if (conn === undefined) throw new Error(`the server never accepted port ${localPort}`);
    return conn;
  }
}

/** A raw TCP client: whatever bytes the test wants, lines read back with a LineFramer. */
class RawClient {
  readonly lines: string[] = [];
  readonly ended: Promise<void>;
  private readonly framer = new LineFramer({ maxLineBytes: 1 << 20 });
  private waiters: Array<() => void> = [];

  /** the client's port, kept: a destroyed socket forgets it */
  readonly localPort: number;

  private constructor(readonly socket: net.Socket) {
    this.localPort = socket.localPort as number;
    this.ended = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      this.lines.push(...this.framer.push(chunk));
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('close', () => {
      for (const w of this.waiters.splice(0)) w();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Resolves once `count` lines have arrived (or the socket closed first). */
  async waitForLines(count: number): Promise<void> {
    while (this.lines.length < count && !this.socket.destroyed) await new Promise<void>((r) => this.waiters.push(r));
  }
}

/**
 * The well-behaved miner: a request every few milliseconds, every reply
 * checked. `finish()` stops it and proves every request got exactly one
 * reply, in order, and that the connection is still open.
 */
class GoodMiner {
  private sent = 0;
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly client: RawClient) {}

  static async start(port: number): Promise<GoodMiner> {
    const miner = new GoodMiner(await RawClient.connect(port));
    miner.timer = setInterval(() => miner.ping(), 5);
    return miner;
  }

  get notifies(): number {
    return this.client.lines.filter((l) => l.startsWith('{"id":null,"method":"mining.notify"')).length;
  }

  private ping(): void {
    this.sent++;
    this.client.socket.write(`{"id":${this.sent},"method":"mining.ping","params":[]}\n`);
  }

  async finish(): Promise<void> {
    clearInterval(this.timer);
    this.ping();
    const replies = (): string[] => this.client.lines.filter((l) => !l.startsWith('{"id":null'));
    while (replies().length < this.sent && !this.client.socket.destroyed) await this.client.waitForLines(this.client.lines.length + 1);
    expect(this.client.socket.destroyed).toBe(false);
    expect(replies()).toEqual(Array.from({ length: this.sent }, (_, i) => `{"id":${i + 1},"result":"pong","error":null}`));
    this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.client.socket.destroy();
  }
}

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `condition` every millisecond; gives up (throws) after 3000 polls so a broken server cannot hang the run. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (condition()) return;
    await tick(1);
  }
  throw new Error(`gave up waiting until ${what}`);
}

describe('StratumServer against hostile peers', () => {
  let pool: EchoPool;
  let good: GoodMiner;
  const clients: RawClient[] = [];

  async function attacker(): Promise<RawClient> {
    const c = await RawClient.connect(pool.port);
    clients.push(c);
    await pool.accepted(c.localPort);
    return c;
  }

  beforeEach(async () => {
    pool = new EchoPool();
    await pool.start();
    good = await GoodMiner.start(pool.port);
  });

  afterEach(async () => {
    good.stop();
    for (const c of clients.splice(0)) c.socket.destroy();
    await pool.server.close('test over');
    expect(pool.thrown).toEqual([]);
  });

  describe('when a slowloris trickles bytes without a newline', () => {
    it('is closed at maxLineBytes ("line over 1024 bytes"); the good miner is served throughout', async () => {
      const slow = await attacker();
      const closed = pool.closed(slow.localPort);
      const start = '{"id":1,"method":"mining.subscribe","params":["';
      slow.socket.write(start);
      let sent = start.length;
      while (!pool.closes.has(slow.localPort) && sent <= MAX_LINE + 100) {
        slow.socket.write('a'.repeat(100));
        sent += 100;
        await tick(2);
      }
      await expect(closed).resolves.toEqual({ reason: `line over ${MAX_LINE} bytes`, byPeer: false });
      await slow.ended;
      await good.finish();
    });

    it(`is closed by the idle timeout when it stays under the cap ("idle for ${IDLE_MS} ms")`, async () => {
      const slow = await attacker();
      const closed = pool.closed(slow.localPort);
      const trickle = setInterval(() => slow.socket.write('a'), 20);
      try {
        await expect(closed).resolves.toEqual({ reason: `idle for ${IDLE_MS} ms`, byPeer: false });
      } finally {
        clearInterval(trickle);
      }
      await slow.ended;
      expect(pool.byPort.get(slow.localPort)?.counters.bytesIn).toBeLessThanOrEqual(MAX_LINE);
      await good.finish();
    });
  });

  describe('when a peer never reads', () => {
    it('is dropped once its send queue passes maxSendQueueBytes; the good miner gets every job and every reply', async () => {
      const deaf = await attacker();
      deaf.socket.pause();
      const closed = pool.closed(deaf.localPort);
      let broadcasts = 0;
      // Loopback socket buffers take a few MB before the queue grows; bounded at 40 MB in all.
      while (!pool.closes.has(deaf.localPort) && broadcasts < 5000) {
        pool.broadcast();
        broadcasts++;
        if (broadcasts % 20 === 0) {
          // It still writes (a keepalive notification), so the idle timeout is not what drops it.
          deaf.socket.write('{"id":null,"method":"mining.noop","params":[]}\n');
          await tick();
        }
      }
      await expect(closed).resolves.toEqual({ reason: `send queue over ${MAX_SEND_QUEUE} bytes (peer not reading)`, byPeer: false });
      await until(() => good.notifies >= broadcasts, 'the good miner has every job');
      expect(good.notifies).toBe(broadcasts);
      await good.finish();
    });

    it('is dropped when it floods requests whose replies it does not read', async () => {
      const deaf = await attacker();
      deaf.socket.pause();
      const closed = pool.closed(deaf.localPort);
      let requests = 0;
      while (!pool.closes.has(deaf.localPort) && requests < 2000) {
        deaf.socket.write(`{"id":${++requests},"method":"big","params":[]}\n`);
        if (requests % 10 === 0) await tick();
      }
      await expect(closed).resolves.toEqual({ reason: `send queue over ${MAX_SEND_QUEUE} bytes (peer not reading)`, byPeer: false });
      await good.finish();
    });
  });

  describe('when a peer floods requests and reads the replies', () => {
    it('answers every one of them in order, and the good miner too', async () => {
      const flood = await attacker();
      const n = 5000;
      let batch = '';
      for (let i = 1; i <= n; i++) batch += `{"id":${i},"method":"mining.ping","params":[]}\n`;
      flood.socket.write(batch);
      await flood.waitForLines(n);
      expect(flood.lines).toHaveLength(n);
      expect(flood.lines[0]).toBe('{"id":1,"result":"pong","error":null}');
      expect(flood.lines[n - 1]).toBe(`{"id":${n},"result":"pong","error":null}`);
      expect(flood.lines.every((l, i) => l === `{"id":${i + 1},"result":"pong","error":null}`)).toBe(true);
      await good.finish();
    });
  });

  describe('when a peer half-closes (FIN) right after a request', () => {
    it('still gets the reply, then the server closes its side ("peer closed", byPeer)', async () => {
      const half = await attacker();
      const closed = pool.closed(half.localPort);
      half.socket.end('{"id":7,"method":"mining.ping","params":[]}\n');
      await expect(closed).resolves.toEqual({ reason: 'peer closed', byPeer: true });
      await half.ended;
      expect(half.lines).toEqual(['{"id":7,"result":"pong","error":null}']);
      await good.finish();
    });
  });

  describe('when a peer connects and never says anything', () => {
    it('is closed by the idle timeout', async () => {
      const silent = await attacker();
      await expect(pool.closed(silent.localPort)).resolves.toEqual({ reason: `idle for ${IDLE_MS} ms`, byPeer: false });
      await silent.ended;
      await good.finish();
    });
  });

  describe('when a peer resets the connection mid-line', () => {
    it('is closed as byPeer and removed from the server', async () => {
      const rst = await attacker();
      const closed = pool.closed(rst.localPort);
      rst.socket.write('{"id":1,"method":"mining.sub');
      await tick(5);
      rst.socket.resetAndDestroy();
      await expect(closed).resolves.toMatchObject({ byPeer: true });
      await until(() => pool.server.connectionCount === 1, 'the reset connection is gone');
      expect(pool.server.connectionCount).toBe(1);
      await good.finish();
    });
  });

  describe('when peers send arbitrary bytes', () => {
    it('never throws out of a handler: each garbage connection is answered, closed for an overlong line, or left open', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 1500 }), { minLength: 1, maxLength: 4 }), async (chunks) => {
          const junk = await attacker();
          for (const chunk of chunks) junk.socket.write(chunk);
          junk.socket.write('\n{"id":"last","method":"mining.ping","params":[]}\n');
          await until(() => junk.lines.includes('{"id":"last","result":"pong","error":null}') || pool.closes.has(junk.localPort), 'the last ping is answered');
          const info = pool.closes.get(junk.localPort);
          if (info !== undefined) expect(info.reason).toBe(`line over ${MAX_LINE} bytes`);
          junk.socket.destroy();
        }),
        { numRuns: Number(process.env['FUZZ_RUNS'] ?? 15) > 15 ? 50 : 15 },
      );
      await good.finish();
    });
  });
});
