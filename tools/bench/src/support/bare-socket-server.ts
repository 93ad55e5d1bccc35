import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { startBenchChild, type BenchChild } from './bench-child';
import type { ChildGroup } from './pool-under-test';

/** The subscribe reply the bare server gives (Stratum V1 shape; the swarm checks only `error` and the array). */
const SUBSCRIBE_REPLY = '{"id":1,"result":[[["mining.set_difficulty","1"],["mining.notify","1"]],"00000001",4],"error":null}\n';
const AUTHORIZE_REPLY = '{"id":2,"result":true,"error":null}\n';
/** A first job of the usual size (a Lode notify of a template without transactions). */
const FIRST_NOTIFY =
  `{"id":null,"method":"mining.notify","params":["1","${'0'.repeat(64)}",` +
  '"01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff1c0101","ffffffff01",[],"20000000","207fffff","00000000",true]}\n';

/** A fan-out request's answer: the write loop's time, measured in the bare server. */
export interface BareFanout {
  lodeBench: 'fanout';
  id: number;
  /** sockets written */
  sockets: number;
  /** the loop that wrote the line to every socket, seconds */
  seconds: number;
}

/** A bare-socket server child process (the baseline of the session and fan-out benchmarks). */
export interface BareSocketServer {
  child: BenchChild;
  host: string;
  port: number;
  /** writes `line` (with its LF) to every open socket; resolves with the loop's time */
  fanout(line: string): Promise<BareFanout>;
}

/**
 * The baseline of the idle-session and notify fan-out benchmarks: a plain
 * `net.Server` that holds sockets and does the least a stratum server must:
 * it answers the first line of a connection with a fixed subscribe reply,
 * the second with a fixed authorize reply and a fixed job, reads and drops
 * everything after, and on request (IPC) writes one given line to every
 * socket. No JSON parsing, no per-connection state beyond the socket.
 *
 * Runs as a child process (like the pool) with the memory probe, so that
 * its resident memory is measured alone.
 */
export async function startBareSocketServer(group: ChildGroup, cpu?: number, timeoutMs = 30_000): Promise<BareSocketServer> {
  const child = group.add(
    startBenchChild({ name: 'bare-socket-server', script: join(__dirname, 'bare-socket-server.js'), dir: group.dir, probe: true, ...(cpu !== undefined ? { cpu } : {}) }),
  );
  const line = await child.waitFor(/^bare-socket server listening on 127\.0\.0\.1:\d+$/, timeoutMs);
  const port = Number(/:(\d+)$/.exec(line)?.[1]);
  return { child, host: '127.0.0.1', port, fanout: (notify) => child.request<BareFanout>('fanout', { line: notify }, 120_000) };
}

/** The child's side: listen, hold, answer, fan out on request. */
function serve(): void {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let lines = 0;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (lines >= 2) return;
      for (let i = chunk.indexOf(10); i >= 0 && lines < 2; i = chunk.indexOf(10, i + 1)) {
        lines++;
        socket.write(lines === 1 ? SUBSCRIBE_REPLY : AUTHORIZE_REPLY + FIRST_NOTIFY);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
    const { port } = server.address() as { port: number };
    console.log(`bare-socket server listening on 127.0.0.1:${port}`);
  });
  process.on('message', (message: unknown) => {
    const m = message as { lodeBench?: unknown; id?: unknown; line?: unknown };
    if (m?.lodeBench !== 'fanout' || typeof m.id !== 'number' || typeof m.line !== 'string') return;
    const text = m.line.endsWith('\n') ? m.line : `${m.line}\n`;
    const t0 = process.hrtime.bigint();
    for (const socket of sockets) socket.write(text);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const reply: BareFanout = { lodeBench: 'fanout', id: m.id, sockets: sockets.size, seconds };
    process.send?.(reply);
  });
  process.on('SIGTERM', () => process.exit(0));
}

if (require.main === module) serve();
