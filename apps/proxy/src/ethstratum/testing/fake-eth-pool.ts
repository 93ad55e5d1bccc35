import {
  EthStratumServerSession,
  type EthAuthorizeRequest,
  type EthServerJob,
  type EthSubmitRequest,
} from '@lode/dialect-ethstratum';
import type { ShareVerdict } from '@lode/mining';
import { eip1571Codec, RpcPeer, silentLogger, StratumServer, type Eip1571Params } from '@lode/stratum-core';

/** A job as the fake pool sends it; the extranonce is the pool's unless given. */
export type FakeEthJob = Omit<EthServerJob, 'extranonce'> & { extranonce?: Buffer };

/** What a {@link FakeEthPool} does. */
export interface FakeEthPoolOptions {
  /** the `mining.set` extranonce of every session */
  extranonce: Buffer;
  /** the job every session gets once authorized */
  firstJob: FakeEthJob;
  /** decides authorizations; default: every worker */
  authorize?: (req: EthAuthorizeRequest) => boolean;
  /** decides shares; default: every share accepted at difficulty 1 */
  verdict?: (req: EthSubmitRequest) => ShareVerdict;
}

/** An accepted verdict, for a fake pool's `verdict`. */
export const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 1, block: false, hash: '00'.repeat(32) };

/**
 * A small EthereumStratum/2.0.0 pool on loopback for the proxy's tests: a
 * StratumServer whose connections are real EthStratumServerSessions. It
 * records every hello agent, authorization and share, and sends the jobs
 * the test gives it (each session's first job right after its authorize).
 */
export class FakeEthPool {
  readonly agents: string[] = [];
  readonly authorizations: EthAuthorizeRequest[] = [];
  readonly submits: EthSubmitRequest[] = [];
  readonly sessions: EthStratumServerSession[] = [];
  private readonly server: StratumServer;
  private port = 0;

  private constructor(private readonly options: FakeEthPoolOptions) {
    this.server = new StratumServer({ host: '127.0.0.1', port: 0, maxLineBytes: 16384, idleTimeoutMs: 0 }, silentLogger);
    this.server.connections$.subscribe((conn) => {
      const peer = new RpcPeer<Eip1571Params>(conn, eip1571Codec, { firstRequestId: 0, maxRequestId: 65535 });
      const session: EthStratumServerSession = new EthStratumServerSession(
        peer,
        {
          subscribe: async (req) => {
            this.agents.push(req.userAgent);
            // Held by the session until the first authorize reply, then sent.
            session.sendJob(this.withExtranonce(options.firstJob));
            return { sessionId: `s-${this.sessions.length}`, extranonce: options.extranonce, workers: [], resumed: false };
          },
          authorize: async (req) => {
            this.authorizations.push(req);
            return options.authorize?.(req) ?? true;
          },
          submit: async (req) => {
            this.submits.push(req);
            return options.verdict?.(req) ?? ACCEPTED;
          },
        },
        { node: 'fake-eth-pool/1.0', resume: false },
      );
      this.sessions.push(session);
    });
  }

  /** Starts a pool on 127.0.0.1 with a free port. */
  static async start(options: FakeEthPoolOptions): Promise<FakeEthPool> {
    const pool = new FakeEthPool(options);
    pool.port = (await pool.server.listen()).port;
    return pool;
  }

  /** stratum3+tcp://127.0.0.1:<port> */
  get url(): string {
    return `stratum3+tcp://127.0.0.1:${this.port}`;
  }

  /** connections accepted so far */
  get connections(): number {
    return this.sessions.length;
  }

  /** Sends a job to every open session (the pool's extranonce unless the job names one). */
  sendJob(job: FakeEthJob): void {
    for (const session of this.sessions) if (!session.isClosed) session.sendJob(this.withExtranonce(job));
  }

  /** Closes every connection and the listening socket. */
  async stop(): Promise<void> {
    await this.server.close('fake pool stopping');
  }

  private withExtranonce(job: FakeEthJob): EthServerJob {
    return { ...job, extranonce: job.extranonce ?? this.options.extranonce };
  }
}
