import {
  WarthogServerSession,
  type WarthogAuthorizeRequest,
  type WarthogNotifyParams,
  type WarthogSubmitRequest,
} from '@lode/dialect-warthog';
import type { ShareVerdict } from '@lode/mining';
import { classicCodec, RpcPeer, silentLogger, StratumServer } from '@lode/stratum-core';

/** What a {@link FakeWarthogPool} does. */
export interface FakeWarthogPoolOptions {
  /** extranonce1 of every session */
  extranonce1: Buffer;
  /** extranonce2 size; extranonce1 + extranonce2 must make 10 bytes */
  extranonce2Size: number;
  /** the difficulty set before the first job */
  difficulty: number;
  /** the job every session gets right after its subscribe reply */
  firstJob: WarthogNotifyParams;
  /** decides authorizations; default: every worker */
  authorize?: (req: WarthogAuthorizeRequest) => boolean;
  /** decides shares; default: every share accepted at the pool's difficulty */
  verdict?: (req: WarthogSubmitRequest) => ShareVerdict;
}

/**
 * A small Warthog stratum pool on loopback for the proxy's tests: a
 * StratumServer whose connections are real WarthogServerSessions. It
 * records every user agent, authorization and share, and sends the
 * difficulties and jobs the test gives it.
 */
export class FakeWarthogPool {
  readonly userAgents: (string | undefined)[] = [];
  readonly authorizations: WarthogAuthorizeRequest[] = [];
  readonly submits: WarthogSubmitRequest[] = [];
  readonly sessions: WarthogServerSession[] = [];
  private readonly server: StratumServer;
  private port = 0;

  private constructor(options: FakeWarthogPoolOptions) {
    this.server = new StratumServer({ host: '127.0.0.1', port: 0, maxLineBytes: 16384, idleTimeoutMs: 0 }, silentLogger);
    this.server.connections$.subscribe((conn) => {
      const session: WarthogServerSession = new WarthogServerSession(new RpcPeer(conn, classicCodec), {
        subscribe: (req) => {
          this.userAgents.push(req.userAgent);
          // Queued by the session and written right after the subscribe reply.
          session.sendDifficulty(options.difficulty);
          session.sendNotify(options.firstJob);
          return { extranonce1: options.extranonce1, extranonce2Size: options.extranonce2Size, sessionId: `${this.sessions.length}` };
        },
        authorize: (req) => {
          this.authorizations.push(req);
          return options.authorize?.(req) ?? true;
        },
        submit: (req) => {
          this.submits.push(req);
          return options.verdict?.(req) ?? { accepted: true, difficulty: options.difficulty, shareDifficulty: options.difficulty, block: false, hash: '00'.repeat(32) };
        },
      });
      this.sessions.push(session);
    });
  }

  /** Starts a pool on 127.0.0.1 with a free port. */
  static async start(options: FakeWarthogPoolOptions): Promise<FakeWarthogPool> {
    const pool = new FakeWarthogPool(options);
    pool.port = (await pool.server.listen()).port;
    return pool;
  }

  /** stratum+tcp://127.0.0.1:<port> */
  get url(): string {
    return `stratum+tcp://127.0.0.1:${this.port}`;
  }

  /** connections accepted so far */
  get connections(): number {
    return this.sessions.length;
  }

  /** Sends `mining.set_difficulty` to every open session (it applies to the next job). */
  sendDifficulty(difficulty: number): void {
    for (const session of this.sessions) if (!session.isClosed) session.sendDifficulty(difficulty);
  }

  /** Sends a job to every open session. */
  sendJob(job: WarthogNotifyParams): void {
    for (const session of this.sessions) if (!session.isClosed) session.sendNotify(job);
  }

  /** Closes every connection and the listening socket. */
  async stop(): Promise<void> {
    await this.server.close('fake pool stopping');
  }
}
