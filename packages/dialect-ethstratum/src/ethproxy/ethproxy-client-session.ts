import { LodeError } from '@lode/stratum-core';
import type { IncomingNotification, RpcExtraMembers, RpcPeer } from '@lode/stratum-core';
import { ETHPROXY_PUSH_METHOD } from '../classic/classic-contract';
import type {
  EthClassicClientJob,
  EthClassicClientSession,
  EthClassicClientSessionOptions,
  EthClassicSubmitOutcome,
} from '../classic/classic-contract';
import { show } from '../messages/show';
import { ClassicClientBase } from '../classic/classic-client-base';
import { readAlgo, readPoolHash, readPoolHeight, readPoolTarget } from '../classic/classic-wire';
import { EthProxyMethods } from './ethproxy-server-session';

/**
 * The miner side of one EthProxy connection ("stratum1"). Build its peer as
 * `new RpcPeer(transport, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }))`.
 *
 * - `start()`: `eth_submitLogin [workerName, password?]` (the whole
 *   `<wallet>[.<worker>]` as params[0], no top-level `"worker"`; the
 *   password only when given), which must answer `true`; then `eth_getWork`,
 *   whose result is emitted on `jobs$` like a push.
 * - A job (`eth_getWork` result or push `{"id":0,"result":[...]}`) is
 *   `[header, seed, target, height?]`: header and seed 64 hex digits (0x
 *   optional), the target `0x` and up to 64 digits (left-padded, as
 *   ethminer's "coinmine.pl fix"), the height only when the 4th element is
 *   a string starting with `0x` (as ethminer reads it); `algo` from the
 *   top-level `"algo"` member. The job id is the header hash.
 * - `clean`: EthProxy says nothing about it; a job is clean unless both it
 *   and the previous job carry a height and the heights are equal (a new
 *   header at the same height, e.g. new transactions). Pools such as
 *   open-ethereum-pool still accept shares on the last 3 heights, so this is a hint only.
 * - A malformed job is logged and counted (`counters.malformed`), not emitted.
 * - `submit`: `eth_submitWork ["0x"+nonce, "0x"+header, "0x"+mix]`;
 *   `true` -> accepted, `false` -> rejected 23, an error -> rejected with it.
 * - `reportHashrate`: `eth_submitHashrate` (see ClassicClientBase).
 *
 * @see facts/ethash.md §1.1, §1.6; ethereum-mining/ethminer
 *   `libpoolprotocols/stratum/EthStratumClient.cpp` (mode ETHPROXY: login,
 *   `eth_getWork` id 5, pushes with id 0, 4th element "only some eth-proxy
 *   compatible implementations carry the block number, namely ethermine.org")
 */
export class EthProxyClientSession extends ClassicClientBase implements EthClassicClientSession {
  readonly dialect = 'ethproxy' as const;
  private lastHeight: number | undefined;
  private started = false;

  /**
   * @param peer `new RpcPeer(transport, jsonRpc2Codec({ pushMethod: ETHPROXY_PUSH_METHOD }))`
   * @param options workerName (`<wallet>[.<worker>]`), password, requestTimeoutMs, logger; userAgent answers `client.get_version`
   * @throws LodeError('config') if workerName is empty
   */
  constructor(peer: RpcPeer, options: EthClassicClientSessionOptions) {
    super(peer, options, 'ethproxy');
  }

  /**
   * Logs in and fetches the first job (emitted on `jobs$` before this resolves).
   *
   * @returns an empty extranonce (the miner picks all 8 nonce bytes)
   * @throws LodeError('protocol') when the pool refuses the login (error
   *   reply with its code, or `false`), or answers `eth_getWork` out of shape
   *   or with an error; LodeError('connection') on close or timeout
   */
  async start(): Promise<{ extranonce: Buffer }> {
    if (this.started) throw new LodeError('protocol', 'start() was already called on this session');
    this.started = true;
    const { workerName, password } = this.options;
    await this.expectTrue(EthProxyMethods.LOGIN, password === undefined || password === '' ? [workerName] : [workerName, password]);
    const work = await this.peer.request(EthProxyMethods.GET_WORK, [], this.options.requestTimeoutMs);
    this.emitJob(this.readJob(work, undefined, 'eth_getWork result'));
    return { extranonce: Buffer.alloc(0) };
  }

  /**
   * Submits `eth_submitWork ["0x"+nonce, "0x"+job.headerHash, "0x"+mixDigest]`.
   *
   * @param nonce the full 8 bytes, big-endian
   * @param mixDigest 32 bytes
   * @throws LodeError('protocol') if the nonce is not 8 bytes or the mix not 32; LodeError('connection') on close or timeout
   */
  submit(job: EthClassicClientJob, nonce: Buffer, mixDigest: Buffer): Promise<EthClassicSubmitOutcome> {
    if (!Buffer.isBuffer(nonce) || nonce.length !== 8) return Promise.reject(new LodeError('protocol', `nonce must be 8 bytes, got ${show(nonce)}`));
    if (!Buffer.isBuffer(mixDigest) || mixDigest.length !== 32) {
      return Promise.reject(new LodeError('protocol', `mix digest must be 32 bytes, got ${show(mixDigest)}`));
    }
    return this.submitRequest(EthProxyMethods.SUBMIT_WORK, [`0x${nonce.toString('hex')}`, `0x${job.headerHash}`, `0x${mixDigest.toString('hex')}`]);
  }

  protected onNotification(n: IncomingNotification): void {
    if (n.method !== ETHPROXY_PUSH_METHOD) {
      this.reportUnknown(n.method);
      return;
    }
    this.emitJob(this.readJob(n.params, n.extra, 'pushed work'));
  }

  /**
   * Reads `[header, seed, target, height?]` into a job.
   *
   * @throws LodeError('protocol') naming the element that is wrong
   */
  private readJob(work: unknown, extra: RpcExtraMembers | undefined, what: string): EthClassicClientJob {
    if (!Array.isArray(work) || work.length < 3) {
      throw new LodeError('protocol', `${what} is ${show(work)}, expected [header, seed, target, height?]`);
    }
    const headerHash = readPoolHash(work[0], `${what} header`);
    const seedHash = readPoolHash(work[1], `${what} seed hash`);
    const target = readPoolTarget(work[2], `${what} target`);
    const height = readPoolHeight(work[3]);
    const clean = height === undefined || this.lastHeight === undefined || height !== this.lastHeight;
    this.lastHeight = height;
    const job: EthClassicClientJob = {
      jobId: headerHash,
      headerHash,
      seedHash,
      target,
      clean,
      extranonce: Buffer.alloc(0),
      receivedAt: Date.now(),
    };
    if (height !== undefined) job.height = height;
    const algo = readAlgo(extra);
    if (algo !== undefined) job.algo = algo;
    return job;
  }
}
