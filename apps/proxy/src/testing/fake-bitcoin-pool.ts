import { BitcoinServerSession } from '@lode/dialect-bitcoin';
import type { BitcoinServerHandler, NotifyParams, SubmitRequest } from '@lode/dialect-bitcoin';
import { hashToBigInt, targetFromDifficulty } from '@lode/mining';
import type { ShareVerdict } from '@lode/mining';
import type { CoinJob, CoinPlugin, StratumV1Work } from '@lode/plugin-api';
import { classicCodec, RpcPeer, StratumServer } from '@lode/stratum-core';
import type { StratumConnection } from '@lode/stratum-core';

/** What a {@link FakeBitcoinPool} is started with. */
export interface FakeBitcoinPoolOptions {
  /** the real coin plugin: the pool checks every share's hash with it */
  plugin: CoinPlugin;
  /** extranonce2 size given at subscribe, bytes */
  extranonce2Size: number;
  /** share difficulty sent before the first job */
  difficulty: number;
  /** BIP 310 server mask (default 0x1fffe000) */
  versionMask?: number;
  /** first byte of every extranonce1 this pool gives (default 0xa0); the other three count up */
  extranonce1Tag?: number;
  /** block height written into coinb1 as the BIP 34 push (default 840000) */
  height?: number;
  /** TCP port (default 0: any free one) */
  port?: number;
  /** a user this pool refuses at authorize */
  refuseUser?: string;
  /** listen with TLS (stratum+tls) with this certificate and key, PEM */
  tls?: { cert: Buffer; key: Buffer };
}

/** One share as the fake pool received and judged it. */
export interface ReceivedShare {
  /** the pool-side connection number (1, 2, ... in subscribe order) */
  connection: number;
  worker: string;
  jobId: string;
  /** the connection's extranonce1, hex */
  extranonce1: string;
  extranonce2: string;
  ntime: number;
  nonce: number;
  versionBits?: number;
  /** the header hash read as a number */
  hashValue: bigint;
  /** the job's target at this pool */
  target: bigint;
  accepted: boolean;
}

/** One miner (or proxy link) connected to the fake pool. */
export interface FakePoolConnection {
  number: number;
  session: BitcoinServerSession;
  extranonce1: Buffer;
  workers: string[];
}

interface SentJob {
  work: StratumV1Work;
  difficulty: number;
}

/**
 * A small Stratum v1 pool for the proxy's specs: dialect-bitcoin's
 * BitcoinServerSession on a stratum-core StratumServer. Each connection gets
 * a distinct 4-byte extranonce1; jobs carry a BIP 34 height push in coinb1;
 * every submit is rebuilt into a header with the real plugin, hashed with
 * its native hasher and accepted only when it meets the target of its job's
 * difficulty ('low-difficulty' otherwise), and recorded in {@link shares}.
 * It can be stopped and started again on the same port (failover specs).
 */
export class FakeBitcoinPool {
  readonly shares: ReceivedShare[] = [];
  readonly connections: FakePoolConnection[] = [];
  private readonly jobs = new Map<string, SentJob>();
  private server: StratumServer | undefined;
  private difficulty: number;
  private jobCounter = 0;
  private connectionCounter = 0;
  private current: NotifyParams | undefined;
  private boundPort = 0;

  private constructor(private readonly options: FakeBitcoinPoolOptions) {
    this.difficulty = options.difficulty;
  }

  /** Starts a pool listening on 127.0.0.1 with one job ready. */
  static async start(options: FakeBitcoinPoolOptions): Promise<FakeBitcoinPool> {
    const pool = new FakeBitcoinPool(options);
    pool.nextJob(true);
    await pool.listen(options.port ?? 0);
    return pool;
  }

  get port(): number {
    return this.boundPort;
  }

  get url(): string {
    return `stratum+${this.options.tls === undefined ? 'tcp' : 'tls'}://127.0.0.1:${this.boundPort}`;
  }

  /** connections open now */
  get live(): FakePoolConnection[] {
    return this.connections.filter((c) => !c.session.isClosed);
  }

  /** the id of the current job */
  get currentJobId(): string {
    return (this.current as NotifyParams).jobId;
  }

  /** Sets the difficulty of the jobs that follow and tells every connection (it binds to the next notify). */
  setDifficulty(difficulty: number): void {
    this.difficulty = difficulty;
    for (const c of this.live) c.session.sendDifficulty(difficulty);
  }

  /** Makes a new job and sends it to every connection. */
  nextJob(clean: boolean): NotifyParams {
    const jobId = `j${++this.jobCounter}`;
    const height = this.options.height ?? 840000;
    const heightPush = Buffer.alloc(3);
    heightPush.writeUIntLE(height, 0, 3);
    const work: StratumV1Work = {
      dialect: 'bitcoin',
      // a distinct previous block per clean job
      prevhash: (this.jobCounter % 256).toString(16).padStart(2, '0').repeat(32),
      // version 1, one input, null prevout, scriptSig length, BIP 34 push of 3 bytes
      coinb1: `0100000001${'00'.repeat(32)}ffffffff1a03${heightPush.toString('hex')}`,
      coinb2: `2f66616b652fffffffff0100f2052a010000001976a914${'00'.repeat(20)}88ac00000000`,
      merkleBranches: [],
      version: 0x20000000,
      nbits: 0x207fffff,
      ntime: Math.floor(Date.now() / 1000),
    };
    this.jobs.set(jobId, { work, difficulty: this.difficulty });
    const params: NotifyParams = { jobId, ...work, cleanJobs: clean };
    this.current = params;
    for (const c of this.live) if (c.workers.length > 0) c.session.sendNotify(params);
    return params;
  }

  /** Sends `mining.set_extranonce` to a connection that subscribed to it (false when it did not). */
  setExtranonce(connection: FakePoolConnection, extranonce1: Buffer, extranonce2Size: number): boolean {
    const sent = connection.session.sendExtranonce(extranonce1, extranonce2Size);
    if (sent) connection.extranonce1 = Buffer.from(extranonce1);
    return sent;
  }

  /** Changes a connection's server mask: `mining.set_version_mask` goes out when version rolling was negotiated. */
  setVersionMask(connection: FakePoolConnection, mask: number): void {
    connection.session.setServerMask(mask);
  }

  /** Stops listening and closes every connection (the pool "goes down"). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    await server.close('fake pool stopping');
  }

  /** Listens again on the same port (the pool "comes back"). */
  async restart(): Promise<void> {
    await this.listen(this.boundPort);
  }

  private async listen(port: number): Promise<void> {
    const server = new StratumServer({ host: '127.0.0.1', port, maxLineBytes: 65536, ...(this.options.tls === undefined ? {} : { tls: this.options.tls }) });
    server.connections$.subscribe((conn) => this.accept(conn));
    this.boundPort = (await server.listen()).port;
    this.server = server;
  }

  private accept(conn: StratumConnection): void {
    const number = ++this.connectionCounter;
    const extranonce1 = Buffer.from([this.options.extranonce1Tag ?? 0xa0, 0, 0, number]);
    const entry = {} as FakePoolConnection;
    const handler: BitcoinServerHandler = {
      subscribe: async () => ({ extranonce1: entry.extranonce1, extranonce2Size: this.options.extranonce2Size, sessionId: `s${number}` }),
      authorize: async (req) => {
        if (req.workerName === this.options.refuseUser) return false;
        const first = entry.workers.length === 0;
        entry.workers.push(req.workerName);
        if (first) {
          // After the authorize reply: the difficulty, then the current job.
          setImmediate(() => {
            entry.session.sendDifficulty(this.difficulty);
            if (this.current !== undefined) entry.session.sendNotify({ ...this.current, cleanJobs: true });
          });
        }
        return true;
      },
      submit: async (req) => this.judge(entry, req),
    };
    const session = new BitcoinServerSession(new RpcPeer(conn, classicCodec), handler, {
      versionRolling: { serverMask: this.options.versionMask ?? 0x1fffe000 },
    });
    Object.assign(entry, { number, session, extranonce1, workers: [] });
    this.connections.push(entry);
  }

  private judge(connection: FakePoolConnection, req: SubmitRequest): ShareVerdict {
    const sent = this.jobs.get(req.jobId);
    if (sent === undefined) return { accepted: false, reason: 'unknown-job', message: `job ${req.jobId} not found` };
    const { plugin } = this.options;
    const job = { id: req.jobId, coin: plugin.id, height: 0, prevHash: '', networkTarget: 0n, ntimeMin: 0, ntimeMax: 0, work: sent.work, createdAt: 0 } as CoinJob;
    const header = plugin.buildHeader(job, {
      jobId: req.jobId,
      extranonce1: connection.extranonce1,
      extranonce2: req.extranonce2,
      ntime: req.ntime,
      nonce: req.nonce,
      ...(req.versionBits === undefined ? {} : { versionBits: req.versionBits, versionMask: req.versionMask ?? 0 }),
    });
    const hashValue = hashToBigInt(plugin.hasher.hash(header));
    const target = targetFromDifficulty(sent.difficulty, plugin.diff1Target);
    const accepted = hashValue <= target;
    this.shares.push({
      connection: connection.number,
      worker: req.workerName,
      jobId: req.jobId,
      extranonce1: connection.extranonce1.toString('hex'),
      extranonce2: req.extranonce2.toString('hex'),
      ntime: req.ntime,
      nonce: req.nonce,
      ...(req.versionBits === undefined ? {} : { versionBits: req.versionBits }),
      hashValue,
      target,
      accepted,
    });
    return accepted
      ? { accepted: true, difficulty: sent.difficulty, shareDifficulty: sent.difficulty, block: false, hash: '' }
      : { accepted: false, reason: 'low-difficulty', message: `share above the target of job ${req.jobId}` };
  }
}
