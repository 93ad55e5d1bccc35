import { LodeError } from '@lode/stratum-core';
import type { IncomingNotification, IncomingRequest, RpcExtraMembers, RpcId, RpcPeer } from '@lode/stratum-core';
import { ClassicClientBase } from '../classic/classic-client-base';
import type { ClassicClientCounters } from '../classic/classic-client-base';
import type {
  EthClassicClientJob,
  EthClassicClientSession,
  EthClassicClientSessionOptions,
  EthClassicSubmitOutcome,
} from '../classic/classic-contract';
import { classicError, ClassicErrorCodes, ClassicErrors } from '../classic/classic-errors';
import { show } from '../messages/show';
import { es1TargetFromDifficulty } from './es1-difficulty';
import { ES1_NONCE_BYTES, ES1_PROTOCOL, Es1Methods } from './es1-methods';

/**
 * Per-session counters of an Es1ClientSession, monotonically increasing; a
 * snapshot: jobs emitted on jobs$, pool messages dropped as malformed (logged),
 * pool messages with a method this session does not know.
 */
export type Es1ClientCounters = ClassicClientCounters;

/** Most extranonce bytes the client accepts from a pool (one nonce byte must stay the miner's). */
const MAX_CLIENT_EXTRANONCE_BYTES = ES1_NONCE_BYTES - 1;

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const HASH_RE = /^(?:0x)?([0-9a-fA-F]{64})$/;

/**
 * The options an Es1ClientSession runs with, checked in this order: userAgent
 * a string, workerName a non-empty string, requestTimeoutMs (default 30000) a
 * positive integer; throws LodeError('config').
 */
function es1Options(options: EthClassicClientSessionOptions): EthClassicClientSessionOptions {
  if (typeof options.userAgent !== 'string') throw new LodeError('config', `userAgent ${show(options.userAgent)} is not a string`);
  if (typeof options.workerName !== 'string' || options.workerName.length === 0) {
    throw new LodeError('config', `workerName ${show(options.workerName)} is not a non-empty string`);
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  if (!Number.isSafeInteger(requestTimeoutMs) || requestTimeoutMs <= 0) {
    throw new LodeError('config', `requestTimeoutMs ${show(requestTimeoutMs)} is not a positive integer`);
  }
  return { ...options, requestTimeoutMs };
}

function readExtranonce(value: unknown, what: string): Buffer {
  if (typeof value !== 'string' || !HEX_RE.test(value) || value.length / 2 > MAX_CLIENT_EXTRANONCE_BYTES) {
    throw new LodeError('protocol', `${what} is ${show(value)}, expected hex of 0..${MAX_CLIENT_EXTRANONCE_BYTES} bytes`);
  }
  return Buffer.from(value, 'hex');
}

function readHash(value: unknown, what: string): string {
  const m = typeof value === 'string' ? HASH_RE.exec(value) : null;
  if (m === null) throw new LodeError('protocol', `${what} is ${show(value)}, expected 64 hex digits`);
  return (m[1] as string).toLowerCase();
}

function readDifficulty(value: unknown): number {
  const d = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) {
    throw new LodeError('protocol', `mining.set_difficulty difficulty is ${show(value)}, expected a number > 0`);
  }
  return d;
}

function readClean(value: unknown): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new LodeError('protocol', `mining.notify clean is ${show(value)}, expected a boolean`);
}

/**
 * The miner side of one NiceHash EthereumStratum/1.0.0 connection. Build its
 * peer as `new RpcPeer(transport, classicCodec)`.
 *
 * - `start()`: `mining.subscribe ["<userAgent>", "EthereumStratum/1.0.0"]`
 *   (the reply must echo the protocol as `result[0][2]`), then
 *   `mining.extranonce.subscribe` (not waited for: a refusal or no answer at
 *   all is fine, the pool then just never sends set_extranonce) and
 *   `mining.authorize [workerName, password]`.
 * - `mining.set_difficulty` and `mining.set_extranonce` are kept pending and
 *   bound to the next `mining.notify`: each job carries the target of the
 *   difficulty in force (1 before any set_difficulty; diff 1 = 0x00000000ffff
 *   << 208) and its own extranonce. Subscribe to `jobs$` before `start()`:
 *   pools send the first job right behind the authorize reply.
 * - A job message's top-level `"algo"` member (the ETChash hint) becomes the job's `algo`.
 * - A malformed pool message is logged and counted, never thrown; a pool
 *   request (with an id) for a method this session does not serve gets error 20.
 * - Every stream completes when the connection closes.
 *
 * @see facts/ethash.md §1.2, §1.6; nicehash/Specifications EthereumStratum_NiceHash_v1.0.0.txt
 */
export class Es1ClientSession extends ClassicClientBase implements EthClassicClientSession {
  readonly dialect = 'es1' as const;

  private started = false;
  private sessionIdValue: string | undefined;
  /** the extranonce the next job will carry */
  private extranonce: Buffer = Buffer.alloc(0);
  /** the difficulty of the last job (1 before any) */
  private difficulty = 1;
  /** a set_difficulty not yet bound to a job */
  private pendingDifficulty: number | undefined;

  /**
   * @param peer the connection: `new RpcPeer(transport, classicCodec, {logger})`
   * @param options userAgent, workerName, password (default ""), requestTimeoutMs (30000), logger
   * @throws LodeError('config') when userAgent or workerName is not a string, workerName is empty, or requestTimeoutMs is not a positive integer
   */
  constructor(peer: RpcPeer, options: EthClassicClientSessionOptions) {
    super(peer, es1Options(options), 'es1');
  }

  /** The session id from the subscribe reply, undefined before `start()` resolves it. */
  get sessionId(): string | undefined {
    return this.sessionIdValue;
  }

  /**
   * The handshake: subscribe (checks the echoed protocol string),
   * extranonce.subscribe (not awaited), authorize.
   *
   * @returns the extranonce of the subscribe reply
   * @throws LodeError('protocol') when the pool answers subscribe with an
   *   error, without `[["mining.notify", id, "EthereumStratum/1.0.0"], extranonceHex]`
   *   or with another protocol, refuses the worker (error or `false`), or on a second call;
   *   LodeError('connection') on close or timeout
   */
  async start(): Promise<{ extranonce: Buffer }> {
    if (this.started) throw new LodeError('protocol', 'start() was already called on this connection');
    this.started = true;
    const result = await this.peer.request(Es1Methods.SUBSCRIBE, [this.options.userAgent, ES1_PROTOCOL], this.options.requestTimeoutMs);
    const extranonce = this.readSubscribeResult(result);
    this.extranonce = extranonce;

    this.peer.request(Es1Methods.EXTRANONCE_SUBSCRIBE, [], this.options.requestTimeoutMs).then(
      (r) => this.logger.debug({ result: show(r) }, 'mining.extranonce.subscribe answered'),
      (err: unknown) => this.logger.debug({ err }, 'mining.extranonce.subscribe refused or unanswered; set_extranonce will not come'),
    );

    let authorized: unknown;
    try {
      authorized = await this.peer.request(Es1Methods.AUTHORIZE, [this.options.workerName, this.options.password ?? ''], this.options.requestTimeoutMs);
    } catch (err) {
      if (LodeError.is(err, 'protocol')) {
        throw new LodeError('protocol', `the pool refused worker ${show(this.options.workerName)}: ${err.message}`, { code: err.code, cause: err });
      }
      throw err;
    }
    if (authorized !== true) {
      throw new LodeError('protocol', `the pool refused worker ${show(this.options.workerName)}: mining.authorize answered ${show(authorized)}`, {
        code: ClassicErrorCodes.UNAUTHORIZED,
      });
    }
    return { extranonce: Buffer.from(extranonce) };
  }

  /**
   * Sends `mining.submit [workerName, jobId, minerNonce]`, the miner nonce
   * being the hex of the nonce's bytes after the job's extranonce.
   *
   * @param nonce the full 8 bytes, big-endian, starting with `job.extranonce`
   * @param _mixDigest not sent: ES1 pools compute the mix themselves
   * @returns accepted on `true`; otherwise the pool's error (`result false`
   *   without one reads as 20 "share refused")
   * @throws LodeError('protocol') if the nonce is not 8 bytes or does not
   *   start with the job's extranonce; LodeError('connection') on close or timeout
   */
  async submit(job: EthClassicClientJob, nonce: Buffer, _mixDigest: Buffer): Promise<EthClassicSubmitOutcome> {
    if (!Buffer.isBuffer(nonce) || nonce.length !== ES1_NONCE_BYTES) {
      throw new LodeError('protocol', `nonce must be ${ES1_NONCE_BYTES} bytes, got ${show(Buffer.isBuffer(nonce) ? nonce.toString('hex') : nonce)}`);
    }
    if (!nonce.subarray(0, job.extranonce.length).equals(job.extranonce)) {
      throw new LodeError(
        'protocol',
        `nonce ${nonce.toString('hex')} does not start with job ${show(job.jobId)}'s extranonce ${job.extranonce.toString('hex')}`,
      );
    }
    const minerNonce = nonce.subarray(job.extranonce.length).toString('hex');
    return this.submitRequest(Es1Methods.SUBMIT, [this.options.workerName, job.jobId, minerNonce], (result) =>
      result === true
        ? { accepted: true }
        : { accepted: false, error: classicError({ code: ClassicErrorCodes.OTHER, message: 'share refused' }, `mining.submit answered ${show(result)}`) },
    );
  }

  /** A pool notification: set_difficulty, set_extranonce or notify; malformed ones are counted, never thrown. */
  protected onNotification(n: IncomingNotification): void {
    this.dispatch(n.method, n.params, n.extra, undefined);
  }

  /** A pool request (with an id): the same methods, answered `true`, error 20 when malformed or unknown (`client.get_version` included). */
  protected override onPoolRequest(r: IncomingRequest): void {
    this.dispatch(r.method, r.params, r.extra, r.id);
  }

  private readSubscribeResult(result: unknown): Buffer {
    const shape = `[["mining.notify", sessionId, "${ES1_PROTOCOL}"], extranonce]`;
    if (!Array.isArray(result) || result.length < 2 || !Array.isArray(result[0])) {
      throw new LodeError('protocol', `mining.subscribe answered ${show(result)}, expected ${shape}`);
    }
    const head = result[0] as unknown[];
    if (head.length !== 3 || head[2] !== ES1_PROTOCOL) {
      throw new LodeError('protocol', `mining.subscribe answered protocol ${show(head[2])}, expected "${ES1_PROTOCOL}" (the pool does not speak ES1)`);
    }
    if (typeof head[1] === 'string') this.sessionIdValue = head[1];
    return readExtranonce(result[1], 'mining.subscribe extranonce');
  }

  private dispatch(method: string, params: unknown[], extra: RpcExtraMembers | undefined, id: RpcId | undefined): void {
    if (this.isClosed) return;
    try {
      switch (method) {
        case Es1Methods.SET_DIFFICULTY:
          this.pendingDifficulty = readDifficulty(params[0]);
          break;
        case Es1Methods.SET_EXTRANONCE:
          this.extranonce = readExtranonce(params[0], 'mining.set_extranonce extranonce');
          break;
        case Es1Methods.NOTIFY:
          this.onNotify(params, extra);
          break;
        default:
          this.reportUnknown(method);
          if (id !== undefined && id !== null) this.peer.respondError(id, classicError(ClassicErrors.UNKNOWN_METHOD, show(method)));
          return;
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.reportMalformed(message);
      if (id !== undefined && id !== null) this.peer.respondError(id, classicError(ClassicErrors.MALFORMED, message));
      return;
    }
    if (id !== undefined && id !== null) this.peer.respond(id, true);
  }

  private onNotify(params: unknown[], extra: RpcExtraMembers | undefined): void {
    const [jobId, seed, header, clean] = params;
    if (typeof jobId !== 'string' || jobId.length === 0) throw new LodeError('protocol', `mining.notify job id is ${show(jobId)}, expected a non-empty string`);
    const seedHash = readHash(seed, 'mining.notify seed hash');
    const headerHash = readHash(header, 'mining.notify header hash');
    const isClean = readClean(clean);
    const difficulty = this.pendingDifficulty ?? this.difficulty;
    const target = es1TargetFromDifficulty(difficulty);
    this.difficulty = difficulty;
    this.pendingDifficulty = undefined;
    const algo = extra?.['algo'];
    const job: EthClassicClientJob = {
      jobId,
      headerHash,
      seedHash,
      target,
      clean: isClean,
      extranonce: Buffer.from(this.extranonce),
      receivedAt: Date.now(),
    };
    if (typeof algo === 'string') job.algo = algo;
    this.emitJob(job);
  }
}
