import { connect, type Socket } from 'node:net';
import { BehaviorSubject } from 'rxjs';
import { BITCOIN_DIFF1_TARGET } from '@lode/mining';
import type { CoinJob, CoinNode, CoinPlugin, CoinTemplate } from '@lode/plugin-api';
import { MemorySessionStore, MemoryShareStore, PoolEngine } from '@lode/pool-engine';
import type { LodeLogger } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';

/**
 * A coin whose every share is rejected (its hasher answers 0xff..ff, above
 * any target), producing work for `dialect`; for protection tests, where the
 * verdict only has to be a rejection.
 */
export function rejectingCoin(dialect: 'bitcoin' | 'warthog' | 'ethstratum'): { plugin: CoinPlugin; node: CoinNode } {
  const template: CoinTemplate = { height: 1, prevHash: '00'.repeat(32), networkTarget: 1n, raw: {} };
  const node: CoinNode = {
    templates$: new BehaviorSubject(template),
    start: async () => undefined,
    stop: async () => undefined,
    submitBlock: async () => ({ accepted: false, hash: '', reason: 'fake' }),
  };
  const work: CoinJob['work'] =
    dialect === 'bitcoin'
      ? { dialect, prevhash: '00'.repeat(32), coinb1: '01', coinb2: '02', merkleBranches: [], version: 0x20000000, nbits: 0x1d00ffff, ntime: 0x5f5e1000 }
      : dialect === 'warthog'
        ? { dialect, prevHash: '11'.repeat(32), merklePrefix: '22'.repeat(32), version: 3, nbits: 0x0ae7cde7, ntime: 0x66f2fefb }
        : { dialect, headerHash: '33'.repeat(32), seedHash: '00'.repeat(32), epoch: 0, seedEpoch: 0, algo: 'ethash' };
  const plugin = {
    id: 'fake',
    name: 'Fake',
    algorithm: 'none',
    dialects: [dialect],
    diff1Target: dialect === 'bitcoin' ? BITCOIN_DIFF1_TARGET : 1n << 256n,
    configSchema: {},
    hasher: { implementation: 'none', hash: () => Buffer.alloc(32, 0xff), scan: async () => ({ hits: [], hashes: 0 }) },
    createNode: () => node,
    createJob: (t: CoinTemplate, ctx: { jobId: string }): CoinJob => ({
      id: ctx.jobId,
      coin: 'fake',
      height: t.height,
      prevHash: t.prevHash,
      networkTarget: t.networkTarget,
      ntimeMin: 0,
      ntimeMax: 0xffffffff,
      createdAt: Date.now(),
      work,
    }),
    checkShare: () => undefined,
    buildHeader: () => Buffer.alloc(80),
    buildBlock: () => '',
    displayHash: (h: Buffer) => Buffer.from(h).reverse().toString('hex'),
  } as CoinPlugin;
  return { plugin, node };
}

/** A started engine on {@link rejectingCoin}; extranonce1 of `extranonce1Size` bytes. */
export async function rejectingEngine(dialect: 'bitcoin' | 'warthog' | 'ethstratum', extranonce1Size = 4): Promise<PoolEngine> {
  const { plugin, node } = rejectingCoin(dialect);
  const engine = new PoolEngine({
    plugin,
    node,
    coinConfig: {},
    shareStore: new MemoryShareStore(),
    sessionStore: new MemorySessionStore(),
    options: { extranonce1Size, extranonce2Size: dialect === 'warthog' ? 10 - extranonce1Size : 4 },
  });
  await engine.start();
  return engine;
}

/** A port config on 127.0.0.1, a free port, for the fake coin. */
export function testPortConfig(dialect: PortConfig['dialect'], extra: Partial<PortConfig> = {}): PortConfig {
  return {
    name: `test-${dialect}`,
    host: '127.0.0.1',
    port: 0,
    coin: 'fake',
    dialect,
    // high enough that the fake hash (0xff..ff) never meets the share target
    difficulty: { initial: dialect === 'bitcoin' ? 1 : 2 ** 32 },
    versionRolling: { allowWithoutConfigure: false },
    maxLineBytes: 16384,
    idleTimeoutSeconds: 0,
    ...(dialect === 'ethstratum'
      ? {
          ethstratum: {
            dialects: ['es2', 'es1', 'ethproxy', 'plain'],
            encoding: 'plain',
            resume: true,
            timeoutSeconds: 180,
            maxErrors: 1000,
            hashrateMinIntervalSeconds: 0,
            hashrateNotifySeconds: 0,
          },
        }
      : {}),
    ...extra,
  };
}

/**
 * A miner's end of a TCP connection that may start with raw bytes (a PROXY
 * protocol header) and then speaks JSON lines; every line received is kept.
 */
export class LineMiner {
  private buffer = '';
  readonly lines: Record<string, unknown>[] = [];
  private readonly waiters = new Set<() => void>();
  /** resolves when the pool closed (or reset) the connection */
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        this.lines.push(JSON.parse(this.buffer.slice(0, i)) as Record<string, unknown>);
        this.buffer = this.buffer.slice(i + 1);
      }
      this.wakeAll();
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((done) =>
      socket.on('close', () => {
        this.isClosed = true;
        this.wakeAll();
        done();
      }),
    );
  }

  /** Connects to 127.0.0.1:port and writes `preamble` (e.g. a PROXY header) first. */
  static open(port: number, preamble?: Buffer | string): Promise<LineMiner> {
    return new Promise((done) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        if (preamble !== undefined) socket.write(preamble);
        done(new LineMiner(socket));
      });
    });
  }

  send(msg: unknown): void {
    this.socket.write(`${typeof msg === 'string' ? msg : JSON.stringify(msg)}\n`);
  }

  /**
   * waits for the first line from index `from` on that `pick` matches
   *
   * @throws Error when the connection closes first
   */
  async until(pick: (m: Record<string, unknown>) => boolean, from = 0): Promise<Record<string, unknown>> {
    for (;;) {
      const found = this.lines.slice(from).find(pick);
      if (found !== undefined) return found;
      if (this.isClosed) throw new Error(`the pool closed the connection; lines: ${JSON.stringify(this.lines)}`);
      await new Promise<void>((r) => this.waiters.add(r));
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private wakeAll(): void {
    const waiting = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiting) wake();
  }
}

/** PROXY protocol v1 header (HAProxy proxy-protocol.txt §2.1): "PROXY TCP4 <src> <dst> <srcport> <dstport>\r\n". */
export function proxyV1(src: string, dst: string, srcPort: number, dstPort: number): string {
  return `PROXY TCP4 ${src} ${dst} ${srcPort} ${dstPort}\r\n`;
}

/**
 * PROXY protocol v2 header for TCP over IPv4 (proxy-protocol.txt §2.2): the
 * 12-byte signature 0d0a0d0a000d0a515549540a, 0x21 (version 2, PROXY),
 * 0x11 (AF_INET, STREAM), length 12 big-endian, source and destination
 * addresses, source and destination ports.
 */
export function proxyV2(src: string, dst: string, srcPort: number, dstPort: number): Buffer {
  const ip = (a: string): number[] => a.split('.').map(Number);
  const port = (p: number): number[] => [p >> 8, p & 0xff];
  return Buffer.from([
    ...Buffer.from('0d0a0d0a000d0a515549540a', 'hex'),
    0x21,
    0x11,
    0x00,
    0x0c,
    ...ip(src),
    ...ip(dst),
    ...port(srcPort),
    ...port(dstPort),
  ]);
}

/** One call to a {@link CapturingLogger}: level, message, and the object merged with every child binding above it. */
export interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A LodeLogger that keeps every entry (children share the list). */
export function capturingLogger(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}): LodeLogger & { entries: LogEntry[] } {
  const at =
    (level: LogEntry['level']) =>
    (obj: object, msg?: string): void => {
      entries.push({ level, msg, fields: { ...bindings, ...(obj as Record<string, unknown>) } });
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more: object) => capturingLogger(entries, { ...bindings, ...(more as Record<string, unknown>) }),
  };
}

/** A clock tests move by hand: `at(seconds)` after a fixed start; `now()` in ms. */
export function manualClock(): { now: () => number; at: (seconds: number) => void } {
  const start = 1_700_000_000_000;
  let t = start;
  return { now: () => t, at: (seconds) => (t = start + seconds * 1000) };
}
