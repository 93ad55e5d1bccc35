import { connect, type Socket } from 'node:net';

/** Options of SessionSwarm.open. */
export interface SwarmOpenOptions {
  host: string;
  port: number;
  /** local addresses the sessions bind to in turn (127.0.0.x: past ~28,000 sessions to one port) */
  localAddresses?: readonly string[];
  /** handshakes in progress at once (default 256) */
  concurrency?: number;
  /** ms a handshake may take, connect to first job (default 30000) */
  timeoutMs?: number;
  /** performance.now() after which no new handshake starts (a run's time bound) */
  stopAt?: number;
  /** called about once a second while opening, with the sessions open so far */
  progress?: (open: number, failed: number) => void;
}

/** What one `open` call did. */
export interface SwarmOpenResult {
  opened: number;
  failed: number;
  /** up to five failure reasons */
  failures: string[];
  seconds: number;
}

/** Arrival of a job at every session, as this process saw it. */
export interface SwarmArrivals {
  /** sessions that received the job in time */
  received: number;
  /** sessions armed (open when the wait began) */
  expected: number;
  /** performance.now() of the first and the last arrival, ms */
  firstAt: number;
  lastAt: number;
}

const SUBSCRIBE_ID = 1;
const AUTHORIZE_ID = 2;
const NOTIFY = Buffer.from('"mining.notify"');

/** One idle session: its socket and where it stands. */
interface Member {
  socket: Socket;
  /** index of the arrival slot */
  slot: number;
  /** handshake text not yet split into lines (empty once open) */
  pending: string;
  /** the last bytes of the previous chunk, to find a method name cut across chunks */
  tail: Buffer | undefined;
  closed: boolean;
}

/**
 * Many idle Stratum V1 sessions held by this process, each
 * `mining.subscribe` + `mining.authorize` (pipelined in one write) and open
 * once both were answered without error and a `mining.notify` arrived; then
 * silent. After the handshake a session keeps no text: each chunk it reads
 * is only searched for `"mining.notify"`, so that the time a job reaches
 * every session can be stamped at little cost per session (the
 * arrival of each is kept in a Float64Array).
 *
 * Works against a Lode pool and against the bare-socket baseline
 * (support/bare-socket-server.ts), which answers the same way.
 */
export class SessionSwarm {
  private readonly members: Member[] = [];
  private arrivals = new Float64Array(1024);
  private armed = false;
  private received = 0;
  private onArrival: (() => void) | undefined;
  /** the first `mining.notify` line seen (for the baseline to write the same bytes) */
  sampleNotify: string | undefined;
  /** sessions the peer closed after they opened */
  closedByPeer = 0;

  /** Sessions open now. */
  get size(): number {
    return this.members.length - this.closedByPeer;
  }

  /** Opens `count` more sessions; failures are counted, not thrown. */
  async open(count: number, options: SwarmOpenOptions): Promise<SwarmOpenResult> {
    const concurrency = options.concurrency ?? 256;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const failures: string[] = [];
    let opened = 0;
    let failed = 0;
    let started = 0;
    const t0 = performance.now();
    const timer = setInterval(() => options.progress?.(this.size, failed), 1000);
    const lane = async (): Promise<void> => {
      while (started < count && performance.now() < (options.stopAt ?? Number.POSITIVE_INFINITY)) {
        const i = started++;
        const local = options.localAddresses?.length ? options.localAddresses[(this.members.length + i) % options.localAddresses.length] : undefined;
        try {
          this.adopt(await this.handshake(options.host, options.port, local, timeoutMs));
          opened++;
        } catch (e) {
          failed++;
          if (failures.length < 5) failures.push(e instanceof Error ? e.message : String(e));
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
    } finally {
      clearInterval(timer);
    }
    return { opened, failed, failures, seconds: (performance.now() - t0) / 1000 };
  }

  /**
   * Arms every open session for the next `mining.notify`; `wait` then
   * resolves when each has one (or at the deadline).
   */
  arm(): { wait: (timeoutMs: number) => Promise<SwarmArrivals> } {
    const expected = this.size;
    this.arrivals.fill(0);
    this.received = 0;
    this.armed = true;
    return {
      wait: (timeoutMs) =>
        new Promise<SwarmArrivals>((done) => {
          const finish = (): void => {
            clearTimeout(timer);
            this.onArrival = undefined;
            this.armed = false;
            let firstAt = Number.POSITIVE_INFINITY;
            let lastAt = 0;
            for (let i = 0; i < this.members.length; i++) {
              const at = this.arrivals[i];
              if (at === 0) continue;
              firstAt = Math.min(firstAt, at);
              lastAt = Math.max(lastAt, at);
            }
            done({ received: this.received, expected, firstAt, lastAt });
          };
          const timer = setTimeout(finish, timeoutMs);
          this.onArrival = () => {
            if (this.received >= expected) finish();
          };
          this.onArrival();
        }),
    };
  }

  /** Closes every session (RST-free: end, then destroy). */
  closeAll(): void {
    for (const m of this.members) {
      m.closed = true;
      m.socket.destroy();
    }
    this.members.length = 0;
    this.closedByPeer = 0;
  }

  private adopt(m: Member): void {
    m.slot = this.members.length;
    this.members.push(m);
    if (this.arrivals.length < this.members.length) {
      const grown = new Float64Array(this.arrivals.length * 2);
      grown.set(this.arrivals);
      this.arrivals = grown;
    }
    m.socket.removeAllListeners('data');
    m.socket.on('data', (chunk: Buffer) => this.onData(m, chunk));
    m.socket.removeAllListeners('close');
    m.socket.on('close', () => {
      if (!m.closed) {
        m.closed = true;
        this.closedByPeer++;
      }
    });
  }

  private onData(m: Member, chunk: Buffer): void {
    if (!this.armed || this.arrivals[m.slot] !== 0) {
      m.tail = chunk.length >= NOTIFY.length ? undefined : chunk;
      return;
    }
    let hit = chunk.indexOf(NOTIFY) >= 0;
    if (!hit && m.tail !== undefined) hit = Buffer.concat([m.tail, chunk.subarray(0, NOTIFY.length)]).indexOf(NOTIFY) >= 0;
    m.tail = chunk.subarray(Math.max(0, chunk.length - NOTIFY.length + 1));
    if (!hit) return;
    this.arrivals[m.slot] = performance.now();
    this.received++;
    this.onArrival?.();
  }

  /** Connects, subscribes and authorizes (one write), and waits for both replies and the first job. */
  private handshake(host: string, port: number, localAddress: string | undefined, timeoutMs: number): Promise<Member> {
    return new Promise<Member>((done, reject) => {
      const socket = connect({ host, port, ...(localAddress !== undefined ? { localAddress } : {}) });
      const m: Member = { socket, slot: -1, pending: '', tail: undefined, closed: false };
      let subscribed = false;
      let authorized = false;
      let notified = false;
      const fail = (why: string): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`no subscribe, authorize and job within ${timeoutMs} ms`), timeoutMs);
      socket.setNoDelay(true);
      socket.once('connect', () => {
        const worker = `bench.${socket.localPort ?? 0}`;
        socket.write(
          `{"id":${SUBSCRIBE_ID},"method":"mining.subscribe","params":["lode-bench/0.1"]}\n` +
            `{"id":${AUTHORIZE_ID},"method":"mining.authorize","params":["${worker}","x"]}\n`,
        );
      });
      socket.on('error', (e) => fail(e.message));
      socket.on('close', () => fail('the peer closed the connection during the handshake'));
      socket.on('data', (chunk: Buffer) => {
        m.pending += chunk.toString('utf8');
        let nl: number;
        while ((nl = m.pending.indexOf('\n')) >= 0) {
          const line = m.pending.slice(0, nl);
          m.pending = m.pending.slice(nl + 1);
          let msg: { id?: unknown; result?: unknown; error?: unknown; method?: unknown };
          try {
            msg = JSON.parse(line) as typeof msg;
          } catch {
            return fail(`not JSON: ${line.slice(0, 80)}`);
          }
          if (msg.method === 'mining.notify') {
            notified = true;
            this.sampleNotify ??= line;
          } else if (msg.id === SUBSCRIBE_ID) {
            if (msg.error !== null || !Array.isArray(msg.result)) return fail(`mining.subscribe refused: ${line.slice(0, 120)}`);
            subscribed = true;
          } else if (msg.id === AUTHORIZE_ID) {
            if (msg.result !== true) return fail(`mining.authorize refused: ${line.slice(0, 120)}`);
            authorized = true;
          }
        }
        if (subscribed && authorized && notified) {
          clearTimeout(timer);
          m.pending = '';
          socket.removeAllListeners('error');
          socket.on('error', () => undefined);
          done(m);
        }
      });
    });
  }
}
