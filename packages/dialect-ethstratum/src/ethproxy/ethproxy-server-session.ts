import type { IncomingNotification, IncomingRequest, RpcErrorBody, RpcExtraMembers, RpcPeer } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import type {
  EthClassicServerHandler,
  EthClassicServerJob,
  EthClassicServerSession,
  EthClassicServerSessionOptions,
} from '../classic/classic-contract';
import { classicError, ClassicErrors, classicRejectionEntry } from '../classic/classic-errors';
import { show } from '../messages/show';
import { ClassicServerBase } from '../classic/classic-server-base';
import type { ClassicReply } from '../classic/classic-server-base';
import {
  HASH_PARAM,
  heightParam,
  jobExtra,
  MAX_NAME_LENGTH,
  NONCE_PARAM,
  readHashrateParams,
  readWorkerMember,
  rememberNewest,
  targetParam,
} from '../classic/classic-wire';

/**
 * The EthProxy method names (facts/ethash.md §1.1; sammy007/open-ethereum-pool
 * `proxy/stratum.go` `handleTCPMessage`). A push of new work has no method on
 * the wire (`{"id":0,"jsonrpc":"2.0","result":[...]}`); through an RpcPeer it
 * travels as a notification of ETHPROXY_PUSH_METHOD.
 */
export const EthProxyMethods = {
  LOGIN: 'eth_submitLogin',
  GET_WORK: 'eth_getWork',
  SUBMIT_WORK: 'eth_submitWork',
  SUBMIT_HASHRATE: 'eth_submitHashrate',
} as const;

/** How many jobs (by header hash) an EthProxy session remembers for its submits. */
export const ETHPROXY_JOB_HISTORY = 64;

/**
 * Names (full name, `"worker"` member, part after the dot) a submit may use
 * for one worker, on average: a session keeps at most `maxWorkers` times
 * this many, so that logins repeated with ever new `"worker"` members
 * cannot grow it without bound.
 */
export const ETHPROXY_NAMES_PER_WORKER = 4;

/**
 * EthProxy's `{code: 0, "Work not ready"}`: `eth_getWork` before the pool has
 * any job (open-ethereum-pool `proxy/handlers.go` `handleGetWorkRPC`). Not counted toward maxErrors.
 */
export const ETHPROXY_WORK_NOT_READY: RpcErrorBody = { code: 0, message: 'Work not ready' };

/**
 * EthProxy's `{code: -1, "Malformed PoW result"}` for `eth_submitWork` params
 * out of shape (open-ethereum-pool `proxy/handlers.go` `handleSubmitRPC`);
 * Lode appends what is wrong ("Malformed PoW result: nonce "0x123" is not 0x
 * and 16 hex digits").
 */
export const ETHPROXY_MALFORMED_POW = { code: -1, message: 'Malformed PoW result' } as const;

const KNOWN_METHODS: ReadonlySet<string> = new Set(Object.values(EthProxyMethods));

function ok(result: unknown, extra?: RpcExtraMembers): ClassicReply {
  return extra === undefined ? { result } : { result, extra };
}

/** 20 "Malformed request: <detail>", reported to `handler.malformed` as `bad-params`. */
function malformed(detail: string): ClassicReply {
  return { error: classicError(ClassicErrors.MALFORMED, detail), malformed: 'bad-params' };
}

/** -1 "Malformed PoW result: <detail>", reported to `handler.malformed` as `bad-params`. */
function malformedPow(detail: string): ClassicReply {
  return { error: { code: ETHPROXY_MALFORMED_POW.code, message: `${ETHPROXY_MALFORMED_POW.message}: ${detail}` }, malformed: 'bad-params' };
}

function plural(n: number): string {
  return `${n} parameter${n === 1 ? '' : 's'}`;
}

/** `[header, seed, target, height]`, each `0x`-prefixed: the `eth_getWork` result and the push. */
function workParams(job: EthClassicServerJob): string[] {
  return [`0x${job.headerHash.toLowerCase()}`, `0x${job.seedHash.toLowerCase()}`, targetParam(job.target), heightParam(job.height)];
}

/**
 * The pool side of one EthProxy connection ("stratum1", `eth_submitLogin`):
 * JSON-RPC 2.0 over TCP with the node's getwork method names. Build its peer
 * as `new RpcPeer(transport, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }))`.
 *
 * - `eth_submitLogin [wallet, password?]` (+ top-level `"worker"`): the first
 *   login calls `handler.subscribe({dialect: 'ethproxy', userAgent: ''})`,
 *   every new worker `handler.authorize`. The worker name is
 *   `<wallet>.<worker>` when a non-empty `"worker"` member is given and the
 *   wallet has no dot, else the wallet. Reply `true`, or 24 "Unauthorized
 *   worker" (refused, or more than `maxWorkers`). A worker logged in again
 *   gets `true` without asking the pool. The session is `ready` once one worker is in.
 *   A login that would take the names a submit may use past
 *   `ETHPROXY_NAMES_PER_WORKER * maxWorkers` (logins repeated with ever new
 *   `"worker"` members) gets 24 "too many worker names on this connection".
 * - `eth_getWork` -> `["0x"+header, "0x"+seed, "0x"+target (64 digits),
 *   "0x"+height]` of the latest job sent, with a top-level `"algo"` member
 *   when the job's algo is not "ethash"; before login 25 "Not subscribed",
 *   no job yet `{code: 0, "Work not ready"}`. The 4th element is the block
 *   height, as ethermine and core-geth's `eth_getWork` send it (ethminer reads it when it starts with 0x).
 * - Jobs are pushed as `{"id":0,"jsonrpc":"2.0","result":[header, seed,
 *   target, height]}` (+ `"algo"`), open-ethereum-pool's `JSONPushMessage`
 *   ("id 0 for Claymore compliance"). EthProxy has no job ids: the last 64
 *   jobs are remembered by header hash (a header sent again maps to its latest job).
 * - `eth_submitWork ["0x"+nonce, "0x"+header, "0x"+mix]` (+ `"worker"`):
 *   before login 25; params not `^0x[0-9a-fA-F]{16}$`, `^0x[0-9a-fA-F]{64}$`
 *   twice -> `{code: -1, "Malformed PoW result: ..."}` (open-ethereum-pool's
 *   regexes, either case accepted, normalised to lower case); a `"worker"`
 *   naming no worker logged in here -> 24 (without it, the first worker
 *   logged in); a header none of the last 64 jobs had -> 21 "Job not found".
 *   Then `handler.submit` with the job's id, an empty extranonce, the full
 *   8-byte nonce as minerNonce and nonce, and the 32-byte mix digest.
 *   Accepted (stale or not) -> `true`; rejected -> the classic error
 *   (`classicRejectionError`) as an object.
 * - `eth_submitHashrate ["0x"+hashrate, id]` -> `handler.hashrate`, `true`.
 * - The `"worker"` member of a submit or hashrate names a worker by the
 *   `"worker"` member it logged in with, by its full worker name, or by the
 *   part of the name after the first dot.
 * - Errors are `{"code":..,"message":..}` objects (the codec); queueing,
 *   counting, maxErrors and the close are {@link ClassicServerBase}'s.
 *
 * @see facts/ethash.md §1.1, §1.6, §5.1; sammy007/open-ethereum-pool
 *   `proxy/handlers.go`, `proxy/proto.go`, `proxy/stratum.go`;
 *   ethereum-mining/ethminer `libpoolprotocols/stratum/EthStratumClient.cpp` (mode ETHPROXY)
 */
export class EthProxyServerSession extends ClassicServerBase implements EthClassicServerSession {
  readonly dialect = 'ethproxy' as const;
  private subscribed = false;
  /** authorized worker names, in login order */
  private readonly workerNames = new Set<string>();
  /** a submit's `"worker"` member -> worker name */
  private readonly aliases = new Map<string, string>();
  /** header hash (lower case) -> job id, oldest first */
  private readonly jobsByHeader = new Map<string, string>();
  private latestJob: EthClassicServerJob | undefined;

  /**
   * @param peer `new RpcPeer(transport, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }))`
   * @param handler the pool
   * @param options maxErrors (16), maxWorkers (256), maxPendingRequests (128), logger
   * @throws LodeError('config') if a limit is not a positive integer
   */
  constructor(peer: RpcPeer, handler: EthClassicServerHandler, options: EthClassicServerSessionOptions = {}) {
    super(peer, handler, options, 'ethproxy', KNOWN_METHODS);
  }

  /** True once one worker logged in: jobs go out at once. */
  get ready(): boolean {
    return this.workerNames.size > 0;
  }

  /** The workers logged in on this connection, in login order. */
  get workers(): readonly string[] {
    return [...this.workerNames];
  }

  protected answer(req: IncomingRequest): Promise<ClassicReply> | ClassicReply {
    switch (req.method) {
      case EthProxyMethods.LOGIN:
        return this.login(req.params, req.extra);
      case EthProxyMethods.GET_WORK:
        return this.getWork();
      case EthProxyMethods.SUBMIT_WORK:
        return this.submitWork(req.params, req.extra);
      default:
        return this.submitHashrate(req.params, req.extra);
    }
  }

  /**
   * A miner line shaped like the work push (`{"id":0,"result":[...]}`, no
   * method), which the codec reads as an `eth_pushWork` notification, is a
   * response to nothing we asked: still refused and counted, not reported
   * as malformed. Every other notification is.
   */
  protected override isMalformedNotification(n: IncomingNotification): boolean {
    return n.method !== ETHPROXY_PUSH_METHOD;
  }

  protected writeJob(job: EthClassicServerJob): boolean {
    this.peer.notify(ETHPROXY_PUSH_METHOD, workParams(job), jobExtra(job.algo));
    rememberNewest(this.jobsByHeader, job.headerHash.toLowerCase(), job.jobId, ETHPROXY_JOB_HISTORY);
    this.latestJob = job;
    return true;
  }

  private async login(params: unknown[], extra: RpcExtraMembers | undefined): Promise<ClassicReply> {
    if (params.length < 1 || params.length > 2) return malformed(`eth_submitLogin takes [wallet, password?], got ${plural(params.length)}`);
    const [wallet, pass] = params;
    if (typeof wallet !== 'string' || wallet.length === 0 || wallet.length > MAX_NAME_LENGTH) {
      return malformed(`eth_submitLogin wallet is ${show(wallet)}, expected a string of 1..${MAX_NAME_LENGTH} characters`);
    }
    if (pass !== undefined && pass !== null && typeof pass !== 'string') {
      return malformed(`eth_submitLogin password is ${show(pass)}, expected a string`);
    }
    const member = readWorkerMember(extra);
    if ('bad' in member) return malformed(`eth_submitLogin ${member.bad}`);
    const workerName = member.worker !== undefined && !wallet.includes('.') ? `${wallet}.${member.worker}` : wallet;
    const maxNames = ETHPROXY_NAMES_PER_WORKER * this.options.maxWorkers;
    if (this.aliases.size + this.newAliases(workerName, member.worker).length > maxNames) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `too many worker names on this connection (at most ${maxNames})`) };
    }
    if (this.workerNames.has(workerName)) {
      this.addAliases(workerName, member.worker);
      return ok(true);
    }
    if (this.workerNames.size >= this.options.maxWorkers) {
      return { error: classicError(ClassicErrors.UNAUTHORIZED, `too many workers on this connection (at most ${this.options.maxWorkers})`) };
    }
    if (!this.subscribed) {
      try {
        await this.handler.subscribe({ dialect: 'ethproxy', userAgent: '' });
      } catch (err) {
        return this.handlerFailure(EthProxyMethods.LOGIN, err);
      }
      this.subscribed = true;
    }
    const refused = await this.authorizeWorker(EthProxyMethods.LOGIN, workerName, pass);
    if (refused !== undefined) return refused;
    this.workerNames.add(workerName);
    this.addAliases(workerName, member.worker);
    return ok(true);
  }

  private getWork(): ClassicReply {
    if (!this.ready) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send eth_submitLogin first') };
    const job = this.latestJob;
    if (job === undefined) return { error: ETHPROXY_WORK_NOT_READY };
    return ok(workParams(job), jobExtra(job.algo));
  }

  private async submitWork(params: unknown[], extra: RpcExtraMembers | undefined): Promise<ClassicReply> {
    if (!this.ready) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send eth_submitLogin first') };
    if (params.length !== 3) return malformedPow(`eth_submitWork takes [nonce, header, mixDigest], got ${plural(params.length)}`);
    const [nonceHex, headerHex, mixHex] = params;
    if (typeof nonceHex !== 'string' || !NONCE_PARAM.test(nonceHex)) return malformedPow(`nonce ${show(nonceHex)} is not 0x and 16 hex digits`);
    if (typeof headerHex !== 'string' || !HASH_PARAM.test(headerHex)) return malformedPow(`header ${show(headerHex, 80)} is not 0x and 64 hex digits`);
    if (typeof mixHex !== 'string' || !HASH_PARAM.test(mixHex)) return malformedPow(`mix digest ${show(mixHex, 80)} is not 0x and 64 hex digits`);
    const workerName = this.resolveWorker(extra, EthProxyMethods.SUBMIT_WORK);
    if (typeof workerName !== 'string') return workerName;
    const header = headerHex.slice(2).toLowerCase();
    const jobId = this.jobsByHeader.get(header);
    if (jobId === undefined) {
      return { error: classicError(classicRejectionEntry('unknown-job'), `no job with header 0x${header} was sent on this connection`) };
    }
    return this.submitHexShare(EthProxyMethods.SUBMIT_WORK, workerName, jobId, nonceHex, mixHex);
  }

  private submitHashrate(params: unknown[], extra: RpcExtraMembers | undefined): ClassicReply {
    if (!this.ready) return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send eth_submitLogin first') };
    const read = readHashrateParams(params);
    if (typeof read === 'string') return malformed(read);
    const workerName = this.resolveWorker(extra, EthProxyMethods.SUBMIT_HASHRATE);
    if (typeof workerName !== 'string') return workerName;
    return this.recordHashrate({ workerName, hashrate: read.hashrate, id: read.id });
  }

  /** The worker a submit or hashrate report is for: its `"worker"` member resolved, else the first worker logged in. */
  private resolveWorker(extra: RpcExtraMembers | undefined, method: string): string | ClassicReply {
    const member = readWorkerMember(extra);
    if ('bad' in member) return method === EthProxyMethods.SUBMIT_WORK ? malformedPow(member.bad) : malformed(`${method} ${member.bad}`);
    if (member.worker === undefined) {
      const first = this.workerNames.values().next().value;
      if (first !== undefined) return first;
      return { error: classicError(ClassicErrors.NOT_SUBSCRIBED, 'send eth_submitLogin first') };
    }
    const name = this.aliases.get(member.worker);
    if (name === undefined) return { error: classicError(ClassicErrors.UNAUTHORIZED, `worker ${show(member.worker)} is not logged in on this connection`) };
    return name;
  }

  /** The names a login of `workerName` (with `"worker"` member `workerMember`) would add, not yet taken. */
  private newAliases(workerName: string, workerMember: string | undefined): string[] {
    const names = [workerName];
    if (workerMember !== undefined) names.push(workerMember);
    const dot = workerName.indexOf('.');
    if (dot >= 0 && dot < workerName.length - 1) names.push(workerName.slice(dot + 1));
    return [...new Set(names)].filter((alias) => !this.aliases.has(alias));
  }

  private addAliases(workerName: string, workerMember: string | undefined): void {
    for (const alias of this.newAliases(workerName, workerMember)) this.aliases.set(alias, workerName);
  }
}
