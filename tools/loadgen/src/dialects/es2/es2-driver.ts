import type { ShareKind } from '../../mix/share-kind';
import type { DialectDriver, DialectSession, JobRef, PoolReply, PreparedShare, RejectReason, SessionChannel, SkippedShare } from '../dialect-driver';
import { reasonFromMessage } from '../classic/classic-reply';
import { LOADGEN_USER_AGENT } from '../user-agent';

/** The EIP-1571 protocol name sent in `mining.hello`. */
const PROTO = 'EthereumStratum/2.0.0';
/** Jobs kept per session. */
const JOB_HISTORY = 8;

/** An EthereumStratum/2.0.0 job: `mining.notify [jobId, height (hex), headerHash, clean ("0"/"1")]`. */
interface Es2Job extends JobRef {
  readonly clean: boolean;
}

/**
 * Reads an EIP-1571 reply: success is `{"id":n}` (a result may come with
 * it); a refusal is `{"id":n,"error":{"code","message"}}`. A 2xx code is an
 * acceptance with a note (202: accepted but stale).
 *
 * @see facts/ethash.md §1.3
 */
function readEs2Reply(message: Record<string, unknown>, at: number): PoolReply {
  const error = message['error'];
  const result = message['result'];
  if (error === null || error === undefined) return { at, ok: result !== false, result };
  const e = typeof error === 'object' ? (error as Record<string, unknown>) : { message: String(error) };
  const code = Number(e['code']);
  const ok = Number.isFinite(code) && code >= 200 && code < 300;
  return { at, ok, result, ...(Number.isFinite(code) ? { code } : {}), message: String(e['message'] ?? '') };
}

/**
 * The reason of an EIP-1571 refusal, from Lode's table
 * (dialect-ethstratum EthStratumErrors): 404 unknown job, 406 low
 * difficulty ("Bad nonce"), 409 duplicate, 410 stale, 400 / 405 / 414 bad
 * request, 301 / 303 unauthorized, 302 not subscribed; other codes by message.
 */
function es2Reason(reply: PoolReply): RejectReason {
  switch (reply.code) {
    case 404:
      return 'unknown-job';
    case 406:
      return 'low-difficulty';
    case 409:
      return 'duplicate';
    case 410:
      return 'stale';
    case 400:
    case 405:
    case 414:
      return 'bad-request';
    case 301:
    case 303:
      return 'unauthorized';
    case 302:
      return 'not-subscribed';
    default:
      return reasonFromMessage(reply.message ?? '');
  }
}

/**
 * An EthereumStratum/2.0.0 session (EIP-1571): `mining.hello`,
 * `mining.subscribe`, `mining.authorize` (its result is the worker token),
 * then `mining.set` (extranonce, target, epoch) and `mining.notify`.
 *
 * Makes stale and malformed shares only: a valid ethash share needs the
 * epoch's light cache or DAG, which this tool does not compute. A malformed
 * share is a `mining.submit` with 1 param (answered 400); never a line cut
 * off, which an EIP-1571 server cannot answer (it cannot read the id).
 */
class Es2Session implements DialectSession {
  private token = '';
  private extranonceHexDigits = 0;
  private readonly jobs: Es2Job[] = [];
  private current: Es2Job | undefined;
  private lastSuperseded: Es2Job | undefined;
  private firstJob: (() => void) | undefined;
  private staleNonce = 0;

  constructor(
    private readonly channel: SessionChannel,
    private readonly host: string,
    private readonly port: number,
  ) {}

  async start(): Promise<void> {
    const firstJob = new Promise<void>((resolve) => (this.firstJob = resolve));
    const hello = await this.channel.request('mining.hello', { agent: LOADGEN_USER_AGENT, host: this.host, port: this.port.toString(16), proto: PROTO });
    const proto = (hello.result as Record<string, unknown> | undefined)?.['proto'];
    if (!hello.ok || proto !== PROTO) throw new Error(`mining.hello refused: ${hello.code ?? ''} ${hello.message ?? JSON.stringify(hello.result)}`);
    const sub = await this.channel.request('mining.subscribe', undefined);
    if (!sub.ok) throw new Error(`mining.subscribe refused: ${sub.code ?? ''} ${sub.message ?? ''}`);
    const auth = await this.channel.request('mining.authorize', [this.channel.worker, this.channel.password]);
    if (!auth.ok || typeof auth.result !== 'string') throw new Error(`mining.authorize ${this.channel.worker} refused: ${auth.code ?? ''} ${auth.message ?? JSON.stringify(auth.result)}`);
    this.token = auth.result;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        firstJob,
        new Promise<void>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no mining.notify within ${this.channel.replyTimeoutMs} ms of mining.authorize`)), this.channel.replyTimeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  make(kind: ShareKind): PreparedShare | SkippedShare {
    if (kind === 'stale') {
      const job = this.lastSuperseded;
      if (job === undefined) return { skip: 'no job superseded by a clean-jobs notify yet' };
      const digits = Math.max(2, 16 - this.extranonceHexDigits);
      const nonce = (this.staleNonce++ >>> 0).toString(16).padStart(digits, '0').slice(-digits);
      return { kind, method: 'mining.submit', params: [job.id, nonce, this.token], job };
    }
    if (kind === 'malformed') {
      // A submit with 1 param, never a line cut off: an EIP-1571 server cannot answer a line
      // whose id it cannot read (notifications carry no id), so no reply would be due.
      const job = this.current;
      return { kind, method: 'mining.submit', params: [job?.id ?? '0'], ...(job ? { job } : {}) };
    }
    return { skip: `the es2 driver makes stale and malformed shares only (a ${kind} share needs ethash)` };
  }

  onMessage(method: string, params: unknown): void {
    if (method === 'mining.set' && typeof params === 'object' && params !== null && !Array.isArray(params)) {
      const extranonce = (params as Record<string, unknown>)['extranonce'];
      if (typeof extranonce === 'string') this.extranonceHexDigits = extranonce.length;
      return;
    }
    if (method === 'mining.notify' && Array.isArray(params)) {
      const [id, , , clean] = params;
      if (typeof id !== 'string' || id === '') throw new Error(`mining.notify job id ${JSON.stringify(id)} is not a non-empty string`);
      const job: Es2Job = { id, superseded: false, clean: clean === '1' || clean === true };
      if (job.clean) {
        for (const j of this.jobs) j.superseded = true;
        if (this.current !== undefined) this.lastSuperseded = this.current;
      }
      if (this.jobs.length >= JOB_HISTORY) this.jobs.shift();
      this.jobs.push(job);
      this.current = job;
      this.firstJob?.();
      this.firstJob = undefined;
      if (job.clean) this.channel.cleanJob();
    }
    // mining.noop, mining.bye, mining.reconnect, mining.hashrate: nothing to do for a load generator
  }

  readReply(message: Record<string, unknown>, at: number): PoolReply {
    return readEs2Reply(message, at);
  }

  reasonOf(reply: PoolReply): RejectReason {
    return es2Reason(reply);
  }

  accepted(): void {
    // no valid shares: nothing to resend
  }
}

/**
 * EthereumStratum/2.0.0 (EIP-1571, `stratum3+tcp`): stale and malformed
 * shares. Note that the pool closes a session after `maxerrors` refusals
 * that count against the miner (a malformed share does; a stale share does
 * not; Lode's default is 5), so with malformed shares in the mix sessions
 * end early and the shares they had in flight count as missing. Stale
 * shares need clean jobs: new blocks found by some miner during the run.
 *
 * @param host the pool host, sent in `mining.hello`
 * @param port the pool port, sent in `mining.hello` as hex
 */
export function createEs2Driver(host: string, port: number): DialectDriver {
  return {
    name: 'es2',
    title: 'EthereumStratum/2.0.0',
    kinds: new Set<ShareKind>(['stale', 'malformed']),
    // EIP-1571: ids are integers 0..65535
    maxRequestId: 65535,
    createSession(channel: SessionChannel): DialectSession {
      return new Es2Session(channel, host, port);
    },
  };
}
