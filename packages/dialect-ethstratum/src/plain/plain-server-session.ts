import type { IncomingRequest, RpcExtraMembers, RpcPeer } from '@lode/stratum-core';
import type {
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicServerSession,
  EthClassicServerSessionOptions,
} from '../classic/classic-contract';
import { classicError, ClassicErrors, classicRejectionEntry } from '../classic/classic-errors';
import { MAX_JOB_ID_LENGTH } from '../messages/notify';
import { show } from '../messages/show';
import { ClassicServerBase } from '../classic/classic-server-base';
import type { ClassicReply } from '../classic/classic-server-base';
import { HASH_PARAM, jobExtra, MAX_NAME_LENGTH, NONCE_PARAM, readHashrateParams, readWorkerMember, rememberNewest, targetParam } from '../classic/classic-wire';

/**
 * The method names of plain ethash stratum as ethminer's mode 0 ("STRATUM",
 * `stratum+tcp://`) speaks it (facts/ethash.md §1.4). ethminer reports
 * hashrate with `eth_submitHashrate` in this mode too.
 */
export const PlainEthMethods = {
  SUBSCRIBE: 'mining.subscribe',
  AUTHORIZE: 'mining.authorize',
  NOTIFY: 'mining.notify',
  SUBMIT: 'mining.submit',
  SUBMIT_HASHRATE: 'eth_submitHashrate',
} as const;

/** How many jobs (by job id) a plain session remembers, to check a submit's header against its job. */
export const PLAIN_JOB_HISTORY = 64;

const KNOWN_METHODS: ReadonlySet<string> = new Set([
  PlainEthMethods.SUBSCRIBE,
  PlainEthMethods.AUTHORIZE,
  PlainEthMethods.SUBMIT,
  PlainEthMethods.SUBMIT_HASHRATE,
]);

function ok(result: unknown): ClassicReply {
  return { result };
}

/** 20 "Malformed request: <detail>", reported to `handler.malformed` as `bad-params`. */
function malformed(detail: string): ClassicReply {
  return { error: classicError(ClassicErrors.MALFORMED, detail), malformed: 'bad-params' };
}

function plural(n: number): string {
  return `${n} parameter${n === 1 ? '' : 's'}`;
}

/**
 * The pool side of one plain ethash stratum connection (ethminer mode 0).
 * Build its peer as `new RpcPeer(transport, classicCodec)`: replies are
 * Stratum v1 style (`"error": null` on success, errors as `[code, message, null]`).
 *
 * - `mining.subscribe` (any params; a string params[0] is the user agent,
 *   ethminer sends none) -> `handler.subscribe({dialect: 'plain', ...})`,
 *   reply `true` (ethminer takes any result without an error as success). A
 *   second subscribe answers `true` without asking the pool again.
 * - `mining.authorize [user.worker, password]` -> `true`; before subscribe
 *   25 "Not subscribed"; refused or more than `maxWorkers` 24 "Unauthorized
 *   worker". A worker authorized again gets `true` without asking the pool.
 *   The session is `ready` after subscribe and one authorized worker.
 * - Jobs: `mining.notify [jobId, "0x"+header, "0x"+seed, "0x"+target (64
 *   digits)]` (ethminer mode 0 reads them in this order), with a top-level
 *   `"algo"` member when the algo is not "ethash". No clean flag, no height.
 * - `mining.submit [user, jobId, "0x"+nonce, "0x"+header, "0x"+mix]` (+
 *   top-level `"worker"`): ethminer sends its user without the worker part
 *   and the worker as the `"worker"` member, so the worker is
 *   `<user>.<worker>` when that is authorized, else params[0] when
 *   authorized, else 24. Before subscribe 25; params out of shape 20
 *   "Malformed request: ..." (nonce `^0x[0-9a-fA-F]{16}$`, hashes
 *   `^0x[0-9a-fA-F]{64}$`, either case, normalised); a job id none of the
 *   last 64 jobs had 21 "Job not found"; a header that is not that job's 20.
 *   Then `handler.submit` with the job id as sent, an empty extranonce, the
 *   full 8-byte nonce as minerNonce and nonce, and the 32-byte mix digest;
 *   accepted (stale or not) -> `true`, rejected -> the classic error triple.
 * - `eth_submitHashrate ["0x"+hashrate, id]` (+ `"worker"`, matched against
 *   the full names and the part after their first dot; without it, the
 *   first worker) -> `handler.hashrate`, `true`.
 * - Queueing, counting, maxErrors and the close are {@link ClassicServerBase}'s.
 *
 * @see facts/ethash.md §1.4, §1.6; ethereum-mining/ethminer
 *   `libpoolprotocols/stratum/EthStratumClient.cpp` (mode STRATUM: subscribe
 *   id 1 with empty params, authorize id 3 `[UserDotWorker, pass]`, notify
 *   `[job, header, seed, target]`, submit `[User, job, 0x nonce, 0x header,
 *   0x mix]` + `"worker"`, `eth_submitHashrate` + `"worker"`)
 */
export class PlainEthServerSession extends ClassicServerBase implements EthClassicServerSession {
  readonly dialect = 'plain' as const;
  private subscribed = false;
  /** authorized worker names, in authorization order */
  private readonly workerNames = new Set<string>();
  /** job id -> header hash (lower case), oldest first */
  private readonly headersByJob = new Map<string, string>();

  /**
   * @param peer `new RpcPeer(transport, classicCodec)`
   * @param handler the pool
   * @param options maxErrors (16), maxWorkers (256), maxPendingRequests (128), logger
   * @throws LodeError('config') if a limit is not a positive integer
   */
  constructor(peer: RpcPeer, handler: EthClassicServerHandler, options: EthClassicServerSessionOptions = {}) {
    super(peer, handler, options, 'plain', KNOWN_METHODS);
  }

  /** True once subscribed with one authorized worker: jobs go out at once. */
  get ready(): boolean {
    return this.subscribed && this.workerNames.size > 0;
  }

  /** The workers authorized on this connection, in authorization order. */
  get workers(): readonly string[] {
    return [...this.workerNames];
  }

  protected answer(req: IncomingRequest): Promise<ClassicReply> | ClassicReply {
    switch (req.method) {
      case PlainEthMethods.SUBSCRIBE:
        return this.subscribe(req.params);
      case PlainEthMethods.AUTHORIZE:
        return this.authorize(req.params);
      case PlainEthMethods.SUBMIT:
        return this.submit(req.params, req.extra);
      default:
        return this.submitHashrate(req.params, req.extra);
    }
  }

  protected writeJob(job: EthClassicServerJob): boolean {
    const header = job.headerHash.toLowerCase();
    this.peer.notify(
      PlainEthMethods.NOTIFY,
      [job.jobId, `0x${header}`, `0x${job.seedHash.toLowerCase()}`, targetParam(job.target)],
      jobExtra(job.algo),
    );
    rememberNewest(this.headersByJob, job.jobId, header, PLAIN_JOB_HISTORY);
    return true;
  }

  private async subscribe(params: unknown[]): Promise<ClassicReply> {
    if (this.subscribed) return ok(true);
    const agent = params[0];
    const userAgent = typeof agent === 'string' ? agent.slice(0, MAX_NAME_LENGTH) : '';
    try {
      await this.handler.subscribe({ dialect: 'plain', userAgent });
    } catch (err) {
      return this.handlerFailure(PlainEthMethods.SUBSCRIBE, err);
    }
    this.subscribed = true;
    return ok(true);
  }

  private async authorize(params: unknown[]): Promise<ClassicReply> {
    if (params.length < 1 || params.length > 2) return malformed(`mining.authorize takes [worker, password], got ${plural(params.length)}`);
    const [workerName, pass] = params;
    if (typeof workerName !== 'string' || workerName.length === 0 || workerName.length > MAX_NAME_LENGTH) {
      return malformed(`mining.authorize worker is ${show(workerName)}, expected a string of 1..${MAX_NAME_LENGTH} characters`);
    }
    if (pass !== undefined && pass !== null && typeof pass !== 'string') {
      return malformed(`mining.authorize password is ${show(pass)}, expected a string`);
    }
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send mining.subscribe first') };
    if (this.workerNames.has(workerName)) return ok(true);
    if (this.workerNames.size >= this.options.maxWorkers) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `too many workers on this connection (at most ${this.options.maxWorkers})`) };
    }
    const refused = await this.authorizeWorker(PlainEthMethods.AUTHORIZE, workerName, pass);
    if (refused !== undefined) return refused;
    this.workerNames.add(workerName);
    return ok(true);
  }

  private async submit(params: unknown[], extra: RpcExtraMembers | undefined): Promise<ClassicReply> {
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send mining.subscribe first') };
    if (params.length !== 5) return malformed(`mining.submit takes [worker, jobId, nonce, header, mixDigest], got ${plural(params.length)}`);
    const [user, jobId, nonceHex, headerHex, mixHex] = params;
    if (typeof user !== 'string' || user.length === 0 || user.length > MAX_NAME_LENGTH) {
      return malformed(`mining.submit worker is ${show(user)}, expected a string of 1..${MAX_NAME_LENGTH} characters`);
    }
    if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID_LENGTH) {
      return malformed(`mining.submit job id is ${show(jobId)}, expected a string of 1..${MAX_JOB_ID_LENGTH} characters`);
    }
    if (typeof nonceHex !== 'string' || !NONCE_PARAM.test(nonceHex)) return malformed(`mining.submit nonce ${show(nonceHex)} is not 0x and 16 hex digits`);
    if (typeof headerHex !== 'string' || !HASH_PARAM.test(headerHex)) return malformed(`mining.submit header ${show(headerHex, 80)} is not 0x and 64 hex digits`);
    if (typeof mixHex !== 'string' || !HASH_PARAM.test(mixHex)) return malformed(`mining.submit mix digest ${show(mixHex, 80)} is not 0x and 64 hex digits`);
    const member = readWorkerMember(extra);
    if ('bad' in member) return malformed(`mining.submit ${member.bad}`);
    const combined = member.worker === undefined ? undefined : `${user}.${member.worker}`;
    const workerName = combined !== undefined && this.workerNames.has(combined) ? combined : this.workerNames.has(user) ? user : undefined;
    if (workerName === undefined) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `worker ${show(combined ?? user)} is not authorized on this connection`) };
    }
    const jobHeader = this.headersByJob.get(jobId);
    if (jobHeader === undefined) {
      return { error: classicError(classicRejectionEntry('unknown-job'), `no job ${show(jobId)} was sent on this connection`) };
    }
    const header = headerHex.slice(2).toLowerCase();
    if (header !== jobHeader) {
      // A share for work this job id no longer stands for: a rejection (20 as before), not a malformed request.
      return { error: classicError(ClassicErrors.MALFORMED, `mining.submit header 0x${header} is not the header of job ${show(jobId)} (0x${jobHeader})`) };
    }
    return this.submitHexShare(PlainEthMethods.SUBMIT, workerName, jobId, nonceHex, mixHex);
  }

  private submitHashrate(params: unknown[], extra: RpcExtraMembers | undefined): ClassicReply {
    if (!this.subscribed) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send mining.subscribe first') };
    const read = readHashrateParams(params);
    if (typeof read === 'string') return malformed(read);
    const member = readWorkerMember(extra);
    if ('bad' in member) return malformed(`eth_submitHashrate ${member.bad}`);
    const workerName = this.hashrateWorker(member.worker);
    if (workerName === undefined) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, member.worker === undefined ? 'no worker is authorized on this connection' : `worker ${show(member.worker)} is not authorized on this connection`) };
    }
    return this.recordHashrate({ workerName, hashrate: read.hashrate, id: read.id });
  }

  /** The worker a hashrate report is for: the one named (in full, or by the part after its first dot), else the first authorized. */
  private hashrateWorker(worker: string | undefined): string | undefined {
    if (worker === undefined) return this.workerNames.values().next().value;
    if (this.workerNames.has(worker)) return worker;
    for (const name of this.workerNames) {
      const dot = name.indexOf('.');
      if (dot >= 0 && name.slice(dot + 1) === worker) return name;
    }
    return undefined;
  }
}
