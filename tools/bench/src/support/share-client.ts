import { connect, type Socket } from 'node:net';
import { buildHeader, merkleRootFromBranches, sha256d, type BitcoinHasher } from '@lode/coin-bitcoin';

/** Stratum difficulty 1 = target 0xffff * 2^208 (facts/bitcoin-stratum.md, "Targets"). */
const DIFF1 = 0xffffn << 208n;
const TWO_256 = 1n << 256n;
/** Hits one native scan call returns at most. */
const SCAN_HITS = 4096;

/** The share target of a difficulty, slightly harder than the server's so that rounding never makes a share miss. */
export function shareTargetOf(difficulty: number): bigint {
  const target = (DIFF1 * 10n ** 18n) / BigInt(Math.ceil(difficulty * 1e18));
  return target - (target >> 20n);
}

/** What the clients of one phase counted. */
export class ShareTally {
  sent = 0;
  accepted = 0;
  rejected = 0;
  /** refusals by "<code> <message>" (hex runs blanked), at most 32 keys */
  readonly reasons = new Map<string, number>();
  /** sessions that ran out of prepared shares during the phase */
  dry = 0;

  refuse(line: string): void {
    this.rejected++;
    let key: string;
    try {
      const error = (JSON.parse(line) as { error?: unknown }).error;
      key = Array.isArray(error) ? `${String(error[0])} ${String(error[1])}` : JSON.stringify(error);
    } catch {
      key = `not JSON: ${line.slice(0, 60)}`;
    }
    key = key.replace(/[0-9a-f]{8,}/g, '…').replace(/\d+(\.\d+)?/g, 'N');
    if (this.reasons.has(key) || this.reasons.size < 32) this.reasons.set(key, (this.reasons.get(key) ?? 0) + 1);
  }
}

/** A `mining.notify` job, the fields a share needs. */
interface Job {
  id: string;
  prevhash: string;
  coinb1: string;
  coinb2: string;
  branches: Buffer[];
  version: number;
  nbits: number;
  ntime: string;
}

/**
 * A Stratum V1 session that submits shares found beforehand, pipelined:
 * after the handshake (subscribe, authorize, first job) `prepare` scans
 * nonces of one extranonce2 with the native scanner until enough shares
 * meet the session's target; `start` then keeps `maxInFlight` submits
 * outstanding, writing a batch of lines each time replies come back, until
 * `stop`. Replies are counted into the current ShareTally: `"result":true`
 * is accepted, any other reply refused (with its error).
 */
export class ShareClient {
  private pendingText = '';
  private handshakeDone: ((error?: Error) => void) | undefined;
  private subscribed = false;
  private authorized = false;
  private difficulty = 1;
  private extranonce1 = '';
  private extranonce2Size = 4;
  private job: Job | undefined;
  private extranonce2Counter = 0;
  private nonces = new Uint32Array(0);
  private ready = 0;
  private next = 0;
  private scanCursor = 0;
  private header: Buffer | undefined;
  private prefix = '';
  private nextId = 10;
  private inFlight = 0;
  private sending = false;
  private tally: ShareTally | undefined;
  private closedReason: string | undefined;
  /** a new job arrived after the shares were prepared (they would be stale) */
  jobChanged = false;

  private constructor(
    private readonly socket: Socket,
    private readonly worker: string,
    private readonly maxInFlight: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e.message));
    socket.on('close', () => this.fail('the connection closed'));
  }

  /** Connects, subscribes, authorizes and waits for the first job. */
  static async open(host: string, port: number, worker: string, maxInFlight: number, timeoutMs = 30_000): Promise<ShareClient> {
    const socket = connect({ host, port });
    const client = new ShareClient(socket, worker, maxInFlight);
    await new Promise<void>((done, reject) => {
      const timer = setTimeout(() => reject(new Error(`${worker}: no subscribe, authorize and job within ${timeoutMs} ms`)), timeoutMs);
      client.handshakeDone = (error) => {
        clearTimeout(timer);
        client.handshakeDone = undefined;
        if (error !== undefined) reject(error);
        else done();
      };
      socket.once('connect', () =>
        socket.write(
          `{"id":1,"method":"mining.subscribe","params":["lode-bench/0.1"]}\n{"id":2,"method":"mining.authorize","params":["${worker}","x"]}\n`,
        ),
      );
    }).catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
    return client;
  }

  /** Shares prepared and not sent yet. */
  get available(): number {
    return this.ready - this.next;
  }

  /** Scans (off the event loop, one native thread) until at least `count` shares are prepared. */
  async prepare(hasher: BitcoinHasher, count: number): Promise<void> {
    const job = this.job as Job;
    const target = shareTargetOf(this.difficulty);
    if (this.header === undefined) {
      const extranonce2 = (this.extranonce2Counter++).toString(16).padStart(this.extranonce2Size * 2, '0');
      const coinbase = Buffer.from(job.coinb1 + this.extranonce1 + extranonce2 + job.coinb2, 'hex');
      this.header = buildHeader({
        prevhashStratum: job.prevhash,
        version: job.version,
        merkleRoot: merkleRootFromBranches(sha256d(coinbase), job.branches),
        ntime: Number.parseInt(job.ntime, 16),
        nbits: job.nbits,
        nonce: 0,
      });
      // everything of the line but the nonce and the id
      this.prefix = `{"method":"mining.submit","params":["${this.worker}","${job.id}","${extranonce2}","${job.ntime}","`;
    }
    // keep what is left, then append
    if (this.next > 0) {
      this.nonces.copyWithin(0, this.next, this.ready);
      this.ready -= this.next;
      this.next = 0;
    }
    if (this.nonces.length < count) {
      const grown = new Uint32Array(count);
      grown.set(this.nonces.subarray(0, this.ready));
      this.nonces = grown;
    }
    const perHit = Number(TWO_256 / (target + 1n));
    while (this.ready < count) {
      if (this.scanCursor >= 2 ** 32) throw new Error(`${this.worker}: the nonce range of one extranonce2 is used up`);
      const span = Math.max(1, Math.min(2 ** 32 - this.scanCursor, Math.ceil(Math.min(SCAN_HITS / 2, count - this.ready) * perHit)));
      const { hits } = await hasher.scan({ header: this.header, startNonce: this.scanCursor, count: span, target, threads: 1 });
      this.scanCursor += span;
      for (const hit of hits) {
        if (this.ready >= this.nonces.length) break;
        this.nonces[this.ready++] = hit.nonce;
      }
    }
  }

  /** Starts sending into `tally`: `maxInFlight` submits outstanding, refilled as replies come. */
  start(tally: ShareTally): void {
    this.tally = tally;
    this.sending = true;
    this.pump();
  }

  /** Stops sending; replies still count into the tally. */
  stop(): void {
    this.sending = false;
  }

  /** Submits without a reply yet. */
  get outstanding(): number {
    return this.inFlight;
  }

  close(): void {
    this.closedReason ??= 'closed by the benchmark';
    this.sending = false;
    this.socket.destroy();
  }

  private pump(): void {
    if (!this.sending || this.closedReason !== undefined) return;
    let room = this.maxInFlight - this.inFlight;
    if (room <= 0) return;
    if (this.available < room) {
      if (this.available === 0) {
        this.sending = false;
        if (this.tally !== undefined) this.tally.dry++;
        return;
      }
      room = this.available;
    }
    let batch = '';
    for (let i = 0; i < room; i++) {
      const nonce = this.nonces[this.next++];
      batch += `${this.prefix}${nonce.toString(16).padStart(8, '0')}"],"id":${this.nextId++}}\n`;
    }
    this.inFlight += room;
    if (this.tally !== undefined) this.tally.sent += room;
    this.socket.write(batch);
  }

  private onData(chunk: Buffer): void {
    this.pendingText += chunk.toString('latin1');
    let start = 0;
    let nl: number;
    while ((nl = this.pendingText.indexOf('\n', start)) >= 0) {
      const line = this.pendingText.slice(start, nl);
      start = nl + 1;
      this.onLine(line);
    }
    this.pendingText = start === this.pendingText.length ? '' : this.pendingText.slice(start);
    if (this.handshakeDone === undefined) this.pump();
  }

  private onLine(line: string): void {
    if (this.handshakeDone !== undefined) {
      this.onHandshakeLine(line);
      return;
    }
    if (line.includes('"method"')) {
      if (line.includes('"mining.notify"')) this.jobChanged = true;
      return;
    }
    this.inFlight--;
    const tally = this.tally;
    if (tally === undefined) return;
    if (line.includes('"result":true')) tally.accepted++;
    else tally.refuse(line);
  }

  private onHandshakeLine(line: string): void {
    let msg: { id?: unknown; method?: unknown; params?: unknown[]; result?: unknown; error?: unknown };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      this.handshakeDone?.(new Error(`${this.worker}: not JSON: ${line.slice(0, 80)}`));
      return;
    }
    if (msg.method === 'mining.set_difficulty') {
      this.difficulty = Number(msg.params?.[0]);
    } else if (msg.method === 'mining.notify') {
      const [id, prevhash, coinb1, coinb2, branches, version, nbits, ntime] = msg.params as [string, string, string, string, string[], string, string, string];
      this.job = {
        id,
        prevhash,
        coinb1,
        coinb2,
        branches: branches.map((b) => Buffer.from(b, 'hex')),
        version: Number.parseInt(version, 16),
        nbits: Number.parseInt(nbits, 16),
        ntime,
      };
    } else if (msg.id === 1) {
      if (msg.error !== null || !Array.isArray(msg.result)) {
        this.handshakeDone?.(new Error(`${this.worker}: mining.subscribe refused: ${line.slice(0, 120)}`));
        return;
      }
      this.extranonce1 = String(msg.result[1]);
      this.extranonce2Size = Number(msg.result[2]);
      this.subscribed = true;
    } else if (msg.id === 2) {
      if (msg.result !== true) {
        this.handshakeDone?.(new Error(`${this.worker}: mining.authorize refused: ${line.slice(0, 120)}`));
        return;
      }
      this.authorized = true;
    }
    if (this.subscribed && this.authorized && this.job !== undefined) this.handshakeDone?.();
  }

  private fail(reason: string): void {
    this.closedReason ??= reason;
    this.sending = false;
    this.handshakeDone?.(new Error(`${this.worker}: ${reason}`));
  }
}
