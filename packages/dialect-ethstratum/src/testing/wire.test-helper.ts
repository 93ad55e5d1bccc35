import { gunzipSync, gzipSync } from 'node:zlib';
import type { ShareVerdict } from '@lode/mining';
import type { CloseInfo, LineTransport, LodeLogger } from '@lode/stratum-core';
import type { EthCloseInfo } from '../close-info';
import type {
  EthAuthorizeRequest,
  EthHashrateRequest,
  EthStratumServerHandler,
  EthSubmitRequest,
  EthSubscribeRequest,
  EthSubscribeResult,
} from '../server/server-handler';

/**
 * One end of the wire, seen as raw lines, so the format is asserted
 * literally. In gzip mode it writes and reads lines the way EIP-1571's
 * "encoding": "gzip" is framed in Lode (gzip, then base64, one line),
 * using node:zlib directly rather than the codec under test.
 */
export class LineProbe {
  /** lines received and not read yet */
  readonly buffered: string[] = [];
  private readonly waiters: Array<{ resolve(line: string): void; reject(e: Error): void }> = [];
  private gzip = false;
  closeInfo: CloseInfo | undefined;
  readonly closed: Promise<CloseInfo>;

  constructor(private readonly transport: LineTransport) {
    let onClose: (info: CloseInfo) => void = () => undefined;
    this.closed = new Promise((resolve) => (onClose = resolve));
    transport.lines$.subscribe((raw) => {
      const line = this.gzip ? gunzipSync(Buffer.from(raw, 'base64')).toString('utf8') : raw;
      const w = this.waiters.shift();
      if (w) w.resolve(line);
      else this.buffered.push(line);
    });
    transport.closed$.subscribe((info) => {
      this.closeInfo = info;
      onClose(info);
      for (const w of this.waiters.splice(0)) w.reject(new Error(`closed: ${info.reason}`));
    });
  }

  /** From now on, lines both ways are gzip + base64. */
  useGzip(): void {
    this.gzip = true;
  }

  /** Sends a line as is (plain, even in gzip mode). */
  sendRaw(line: string): void {
    this.transport.send(line);
  }

  send(message: string | object): void {
    const line = typeof message === 'string' ? message : JSON.stringify(message);
    this.transport.send(this.gzip ? gzipSync(Buffer.from(line, 'utf8')).toString('base64') : line);
  }

  next(): Promise<string> {
    const line = this.buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.closeInfo) return Promise.reject(new Error(`closed: ${this.closeInfo.reason}`));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async nextJson(): Promise<Record<string, unknown>> {
    return JSON.parse(await this.next()) as Record<string, unknown>;
  }

  /**
   * Sends `mining.noop` with `id` and returns every line that arrived
   * before its `{"id":<id>}` (which is consumed): proves nothing else is in flight.
   */
  async drainWithNoop(id: number): Promise<string[]> {
    this.send({ id, method: 'mining.noop' });
    const before: string[] = [];
    for (;;) {
      const line = await this.next();
      if (line === `{"id":${id}}`) return before;
      before.push(line);
    }
  }

  close(): void {
    this.transport.close('test over');
  }
}

/** A pool behind the session under test: records what it is asked and answers as told. */
export interface FakePool extends EthStratumServerHandler {
  subscribes: EthSubscribeRequest[];
  authorizes: EthAuthorizeRequest[];
  submits: EthSubmitRequest[];
  hashrates: EthHashrateRequest[];
  closedWith: EthCloseInfo[];
  verdict: ShareVerdict;
  /** what subscribe answers; default a new session "s-<n>" with extranonce af4c */
  answerSubscribe: (req: EthSubscribeRequest) => EthSubscribeResult;
  /** worker names the pool refuses */
  refused: Set<string>;
  /** the pool's own hashrate figure for mining.hashrate replies */
  poolHashrate?: bigint;
  onAuthorize?: (req: EthAuthorizeRequest) => void;
}

export const ACCEPTED: ShareVerdict = { accepted: true, difficulty: 1, shareDifficulty: 1.5, block: false, hash: 'ab'.repeat(32) };

export function fakePool(): FakePool {
  let sessions = 0;
  const pool: FakePool = {
    subscribes: [],
    authorizes: [],
    submits: [],
    hashrates: [],
    closedWith: [],
    verdict: ACCEPTED,
    refused: new Set(),
    answerSubscribe: () => ({
      sessionId: `s-${++sessions}`,
      extranonce: Buffer.from('af4c', 'hex'),
      workers: [],
      resumed: false,
    }),
    async subscribe(req) {
      pool.subscribes.push(req);
      return pool.answerSubscribe(req);
    },
    async authorize(req) {
      pool.authorizes.push(req);
      pool.onAuthorize?.(req);
      return !pool.refused.has(req.workerName);
    },
    async submit(req) {
      pool.submits.push(req);
      return pool.verdict;
    },
    hashrate(req) {
      pool.hashrates.push(req);
      return pool.poolHashrate;
    },
    closed(info) {
      pool.closedWith.push(info);
    },
  };
  return pool;
}

/** Lets the line pair deliver what is in flight (it delivers on setImmediate). */
export function settle(rounds = 5): Promise<void> {
  let p = Promise.resolve();
  for (let i = 0; i < rounds; i++) p = p.then(() => new Promise<void>((r) => setImmediate(r)));
  return p;
}

/**
 * The example values of EIP-1571 (specs/003_fafafa51dc5fa36a.txt "Prepare
 * for mining", "Jobs notification", "Solution submission"; facts/ethash.md §1.3).
 */
export const SPEC = {
  epochHex: 'dc',
  epoch: 0xdc,
  /** as the spec prints it, with a leading zero the "no leading zeros" rule forbids */
  targetHex: '0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ba',
  target: 0x0112e0be826d694b2e62d01511f12a6061fbaec8bc02357593e70e52ban,
  extranonceHex: 'af4c',
  jobId: 'bf0488aa',
  heightHex: '6526d5',
  height: 0x6526d5,
  headerHash: '645cf20198c2f3861e947d4f67e3ab63b7b2e24dcc9095bd9123e7b33371f6cc',
  minerNonce: '68765fccd712',
  fullNonce: 'af4c68765fccd712',
  helloPortHex: '4d2',
  reconnectPortHex: 'd80',
} as const;

/** A logger that keeps its errors (bindings merged, as lazyChildLogger passes them). */
export function errorLog(): { logger: LodeLogger; errors: unknown[][] } {
  const errors: unknown[][] = [];
  const logger: LodeLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (...args: unknown[]) => errors.push(args),
    child: () => logger,
  };
  return { logger, errors };
}

/** A logger that keeps its warnings (bindings merged, as lazyChildLogger passes them). */
export function warnings(): { logger: LodeLogger; warned: unknown[][] } {
  const warned: unknown[][] = [];
  const logger: LodeLogger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (...args: unknown[]) => warned.push(args),
    error: () => undefined,
    child: () => logger,
  };
  return { logger, warned };
}
