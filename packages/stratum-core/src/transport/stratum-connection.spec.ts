import * as net from 'node:net';
import { firstValueFrom, take, toArray } from 'rxjs';
import { LineFramer } from '../framing/line-framer';
import { connectStratum } from './connect-stratum';
import type { StratumConnection } from './stratum-connection';
import { StratumServer, type StratumServerOptions } from './stratum-server';

/** A plain socket client that records the lines it receives. */
interface RawClient {
  socket: net.Socket;
  lines: string[];
  ended: Promise<void>;
}

function rawClient(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const framer = new LineFramer();
    const lines: string[] = [];
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (chunk: Buffer) => lines.push(...framer.push(chunk)));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve({ socket, lines, ended }));
    socket.once('error', reject);
  });
}

describe('StratumConnection', () => {
  let server: StratumServer;
  let port: number;
  const sockets: net.Socket[] = [];
  const conns: StratumConnection[] = [];

  async function start(options: Partial<StratumServerOptions> = {}): Promise<void> {
    server = new StratumServer({ host: '127.0.0.1', port: 0, ...options });
    server.connections$.subscribe((c) => conns.push(c));
    ({ port } = await server.listen());
  }

  async function accepted(): Promise<StratumConnection> {
    return conns.length > 0 ? conns[conns.length - 1] : firstValueFrom(server.connections$);
  }

  async function client(): Promise<RawClient> {
    const c = await rawClient(port);
    sockets.push(c.socket);
    return c;
  }

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    for (const c of conns.splice(0)) c.close('test over');
    await server.close('test over');
  });

  describe('when lines flow both ways', () => {
    it('delivers received lines, writes sent ones and counts both', async () => {
      await start();
      const conn = firstValueFrom(server.connections$);
      const upstream = await connectStratum(`stratum+tcp://127.0.0.1:${port}`);
      const down = await conn;
      conns.push(upstream);
      down.lines$.subscribe((line) => down.send(`echo ${line}`));
      const replies = firstValueFrom(upstream.lines$.pipe(take(2), toArray()));
      upstream.send('{"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}');
      upstream.send('{"id":2,"method":"mining.authorize","params":["w","x"]}');
      await expect(replies).resolves.toEqual([
        'echo {"id":1,"method":"mining.subscribe","params":["cpuminer/2.5.1"]}',
        'echo {"id":2,"method":"mining.authorize","params":["w","x"]}',
      ]);
      expect(down.counters).toMatchObject({ linesIn: 2, linesOut: 2, framingErrors: 0 });
      expect(down.counters.bytesIn).toBe(upstream.counters.bytesOut);
      expect(down.remoteAddress).toBe('127.0.0.1');
      expect(typeof down.remotePort).toBe('number');
      expect(down.id).not.toBe(upstream.id);
    });
  });

  describe('when several lines are sent in one turn', () => {
    it('writes them together, in order, and counts each', async () => {
      await start();
      const raw = await client();
      const conn = await accepted();
      const sent = Array.from({ length: 40 }, (_, i) => `{"id":${i + 1},"result":true,"error":null}`);
      for (const line of sent) conn.send(line);
      expect(conn.counters.linesOut).toBe(40);
      expect(conn.counters.bytesOut).toBe(sent.reduce((n, l) => n + l.length + 1, 0));
      conn.close('done');
      await raw.ended;
      expect(raw.lines).toEqual(sent);
    });

    it('flushes every connection that wrote in the turn at its end, without a close (a job fanned out)', async () => {
      await start();
      const raws: RawClient[] = [];
      const accepted3: StratumConnection[] = [];
      for (let i = 0; i < 3; i++) {
        raws.push(await client());
        while (conns.length <= i) await new Promise<void>((done) => setImmediate(done));
        accepted3.push(conns[i]);
      }
      const notify = '{"id":null,"method":"mining.notify","params":["1"]}';
      for (const conn of accepted3) conn.send(notify);
      for (const raw of raws) {
        while (raw.lines.length === 0) await new Promise<void>((done) => setTimeout(done, 5));
        expect(raw.lines).toEqual([notify]);
      }
    });

    it('flushes the first 256 connections of a long fan-out while the loop still writes to the rest', async () => {
      await start();
      const raws: RawClient[] = [];
      for (let i = 0; i < 300; i++) raws.push(await client());
      while (conns.length < 300) await new Promise<void>((done) => setImmediate(done));
      const corked = (conn: StratumConnection): number => (conn as unknown as { socket: net.Socket }).socket.writableCorked;
      const notify = '{"id":null,"method":"mining.notify","params":["2"]}';
      for (const conn of conns) conn.send(notify);
      // same turn: the first 256 went out when the 256th waited; the last 44 wait for the turn's end
      expect(conns.slice(0, 256).map(corked)).toEqual(new Array(256).fill(0));
      expect(conns.slice(256).map(corked)).toEqual(new Array(44).fill(1));
      for (const raw of raws) {
        while (raw.lines.length === 0) await new Promise<void>((done) => setTimeout(done, 5));
        expect(raw.lines).toEqual([notify]);
      }
      expect(conns.map(corked)).toEqual(new Array(300).fill(0));
    });

    it('still closes a peer that never reads when the lines are small', async () => {
      const cap = 64 * 1024;
      await start({ maxSendQueueBytes: cap });
      const raw = await client();
      raw.socket.pause();
      const conn = await accepted();
      const line = `{"id":null,"method":"mining.notify","params":["${'ab'.repeat(240)}"]}`;
      // 500 lines a turn: each turn is one write; the kernel's buffers fill, then our queue passes the cap.
      for (let turn = 0; turn < 400 && !conn.isClosed; turn++) {
        for (let i = 0; i < 500; i++) conn.send(line);
        await new Promise<void>((done) => setImmediate(done));
      }
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({
        reason: `send queue over ${cap} bytes (peer not reading)`,
        byPeer: false,
      });
    });
  });

  describe('when the peer closes', () => {
    it('emits closed$ with "peer closed", byPeer true, and completes lines$', async () => {
      await start();
      const raw = await client();
      const conn = await accepted();
      const lines = firstValueFrom(conn.lines$.pipe(toArray()));
      raw.socket.end('{"id":1}\n');
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'peer closed', byPeer: true });
      await expect(lines).resolves.toEqual(['{"id":1}']);
      expect(conn.isClosed).toBe(true);
    });

    it('reports a reset as the socket error', async () => {
      await start();
      const raw = await client();
      const conn = await accepted();
      raw.socket.resetAndDestroy();
      const info = await firstValueFrom(conn.closed$);
      expect(info.byPeer).toBe(true);
      expect(info.reason).toMatch(/ECONNRESET/);
    });
  });

  describe('when streams are first read after the close', () => {
    it('replays the close and completes lines$ and framingErrors$ at once', async () => {
      await start();
      const raw = await client();
      const conn = await accepted();
      raw.socket.end();
      await raw.ended;
      while (!conn.isClosed) await new Promise<void>((done) => setImmediate(done));
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'peer closed', byPeer: true });
      await expect(firstValueFrom(conn.lines$.pipe(toArray()))).resolves.toEqual([]);
      await expect(firstValueFrom(conn.framingErrors$.pipe(toArray()))).resolves.toEqual([]);
    });
  });

  describe('when an owner attaches by callbacks', () => {
    it('gets each line before lines$, the close once before closed$, and only one owner may attach', async () => {
      await start();
      const raw = await client();
      const conn = await accepted();
      const seen: string[] = [];
      const sink = { line: (line: string) => seen.push(`sink ${line}`), closed: (info: { reason: string }) => seen.push(`sink closed ${info.reason}`) };
      expect(conn.attach(sink)).toBe(true);
      expect(conn.attach(sink)).toBe(false);
      conn.lines$.subscribe({ next: (line) => seen.push(`lines$ ${line}`), complete: () => seen.push('lines$ complete') });
      conn.closed$.subscribe((info) => seen.push(`closed$ ${info.reason}`));
      conn.onClose((info) => seen.push(`onClose ${info.reason}`));
      raw.socket.end('{"id":1}\n{"id":2}\n');
      await firstValueFrom(conn.closed$);
      expect(seen).toEqual([
        'sink {"id":1}',
        'lines$ {"id":1}',
        'sink {"id":2}',
        'lines$ {"id":2}',
        'sink closed peer closed',
        'onClose peer closed',
        'closed$ peer closed',
        'lines$ complete',
      ]);
      const late: string[] = [];
      conn.onClose((info) => late.push(info.reason));
      expect(late).toEqual(['peer closed']);
    });
  });

  describe('when a line passes maxLineBytes', () => {
    it('emits the framing error, flushes the reply written by a subscriber, then closes', async () => {
      await start({ maxLineBytes: 64 });
      const raw = await client();
      const conn = await accepted();
      conn.framingErrors$.subscribe((err) =>
        conn.send(`{"id":null,"result":null,"error":[-32600,${JSON.stringify(err.message)},null]}`),
      );
      raw.socket.write(`${'x'.repeat(65)}\n`);
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'line over 64 bytes', byPeer: false });
      await raw.ended;
      expect(raw.lines).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 64 bytes",null]}']);
      expect(conn.counters.framingErrors).toBe(1);
      expect(() => conn.send('after close')).not.toThrow();
    });
  });

  describe('when a line passes maxLineBytes with an owner attached', () => {
    it('tells the sink before framingErrors$, and flushes the reply the sink wrote', async () => {
      await start({ maxLineBytes: 64 });
      const raw = await client();
      const conn = await accepted();
      const seen: string[] = [];
      conn.attach({
        line: (line) => seen.push(`sink ${line}`),
        framingError: (err) => {
          seen.push(`sink framingError ${err.message}`);
          conn.send(`{"id":null,"result":null,"error":[-32600,${JSON.stringify(err.message)},null]}`);
        },
        closed: (info) => seen.push(`sink closed ${info.reason}`),
      });
      conn.framingErrors$.subscribe((err) => seen.push(`framingErrors$ ${err.message}`));
      raw.socket.write(`${'x'.repeat(65)}\n`);
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'line over 64 bytes', byPeer: false });
      await raw.ended;
      expect(seen).toEqual([
        'sink framingError line over 64 bytes',
        'framingErrors$ line over 64 bytes',
        'sink closed line over 64 bytes',
      ]);
      expect(raw.lines).toEqual(['{"id":null,"result":null,"error":[-32600,"line over 64 bytes",null]}']);
    });
  });

  describe('when no line arrives for idleTimeoutMs', () => {
    it('closes with "idle for N ms"', async () => {
      await start({ idleTimeoutMs: 30 });
      const raw = await client();
      const conn = await accepted();
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'idle for 30 ms', byPeer: false });
      await raw.ended;
    });
  });

  describe('when the peer stops reading', () => {
    it('closes once the send queue passes maxSendQueueBytes', async () => {
      const cap = 64 * 1024;
      await start({ maxSendQueueBytes: cap });
      const raw = await client();
      raw.socket.pause();
      const conn = await accepted();
      const line = 'y'.repeat(16 * 1024);
      // Loopback socket buffers absorb some megabytes first; the cap applies to what is left in our queue.
      for (let i = 0; i < 4096 && !conn.isClosed; i++) conn.send(line);
      expect(conn.isClosed).toBe(true);
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({
        reason: `send queue over ${cap} bytes (peer not reading)`,
        byPeer: false,
      });
      expect(conn.counters.bytesOut).toBeGreaterThan(cap);
    });
  });

  describe('when closed twice', () => {
    it('keeps the first reason', async () => {
      await start();
      await client();
      const conn = await accepted();
      conn.close('first');
      conn.close('second');
      await expect(firstValueFrom(conn.closed$)).resolves.toEqual({ reason: 'first', byPeer: false });
    });
  });
});
