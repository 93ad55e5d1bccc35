import { LodeError } from '@lode/stratum-core';
import type { IncomingNotification, RpcPeer } from '@lode/stratum-core';
import type {
  EthClassicClientJob,
  EthClassicClientSession,
  EthClassicClientSessionOptions,
  EthClassicSubmitOutcome,
} from '../classic/classic-contract';
import { MAX_JOB_ID_LENGTH } from '../messages/notify';
import { show } from '../messages/show';
import { ClassicClientBase } from '../classic/classic-client-base';
import { readAlgo, readPoolHash, readPoolTarget } from '../classic/classic-wire';
import { PlainEthMethods } from './plain-server-session';

/** Notifications a plain pool may send that carry nothing this session uses (Bitcoin-style pools); ignored quietly. */
const IGNORED = new Set(['mining.set_difficulty', 'client.show_message']);

/**
 * The miner side of one plain ethash stratum connection (ethminer mode 0).
 * Build its peer as `new RpcPeer(transport, classicCodec)`.
 *
 * - `start()`: `mining.subscribe [userAgent]` (no params when the user
 *   agent is empty, as ethminer), any result without an error is success;
 *   then `mining.authorize [workerName, password or ""]`, which must not
 *   answer `false` or an error.
 * - `mining.notify [jobId, header, seed, target]`: header and seed 64 hex
 *   digits (0x optional), the target `0x` and up to 64 digits (left-padded,
 *   as ethminer). No height. `clean` is always true: the dialect has no
 *   flag, and ethminer switches to every job at once. `algo` from the
 *   top-level `"algo"` member. A malformed notify is logged and counted, not emitted.
 * - `submit`: `mining.submit [workerName, jobId, "0x"+nonce, "0x"+header,
 *   "0x"+mix]` (the whole worker name as params[0], no `"worker"` member);
 *   `true` -> accepted, `false` -> rejected 23, an error -> rejected with it.
 * - `reportHashrate`: `eth_submitHashrate` (see ClassicClientBase).
 *
 * @see facts/ethash.md §1.4; ethereum-mining/ethminer
 *   `libpoolprotocols/stratum/EthStratumClient.cpp` (mode STRATUM)
 */
export class PlainEthClientSession extends ClassicClientBase implements EthClassicClientSession {
  readonly dialect = 'plain' as const;
  private started = false;

  /**
   * @param peer `new RpcPeer(transport, classicCodec)`
   * @param options userAgent, workerName, password, requestTimeoutMs, logger
   * @throws LodeError('config') if workerName is empty
   */
  constructor(peer: RpcPeer, options: EthClassicClientSessionOptions) {
    super(peer, options, 'plain');
  }

  /**
   * Subscribes and authorizes. Subscribe to `jobs$` first: pools send the
   * first job right behind the authorize reply.
   *
   * @returns an empty extranonce (the miner picks all 8 nonce bytes)
   * @throws LodeError('protocol') when the pool refuses (error reply with its
   *   code, or `false`); LodeError('connection') on close or timeout
   */
  async start(): Promise<{ extranonce: Buffer }> {
    if (this.started) throw new LodeError('protocol', 'start() was already called on this session');
    this.started = true;
    const { userAgent, workerName, password } = this.options;
    await this.peer.request(PlainEthMethods.SUBSCRIBE, userAgent === '' ? [] : [userAgent], this.options.requestTimeoutMs);
    await this.expectTrue(PlainEthMethods.AUTHORIZE, [workerName, password ?? '']);
    return { extranonce: Buffer.alloc(0) };
  }

  /**
   * Submits `mining.submit [workerName, job.jobId, "0x"+nonce, "0x"+job.headerHash, "0x"+mixDigest]`.
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
    return this.submitRequest(PlainEthMethods.SUBMIT, [
      this.options.workerName,
      job.jobId,
      `0x${nonce.toString('hex')}`,
      `0x${job.headerHash}`,
      `0x${mixDigest.toString('hex')}`,
    ]);
  }

  protected onNotification(n: IncomingNotification): void {
    if (n.method !== PlainEthMethods.NOTIFY) {
      if (IGNORED.has(n.method)) return;
      this.reportUnknown(n.method);
      return;
    }
    const params = n.params;
    if (!Array.isArray(params) || params.length < 4) {
      throw new LodeError('protocol', `mining.notify params is ${show(params)}, expected [jobId, header, seed, target]`);
    }
    const jobId: unknown = params[0];
    if (typeof jobId !== 'string' || jobId.length === 0 || jobId.length > MAX_JOB_ID_LENGTH) {
      throw new LodeError('protocol', `mining.notify job id is ${show(jobId)}, expected a string of 1..${MAX_JOB_ID_LENGTH} characters`);
    }
    const job: EthClassicClientJob = {
      jobId,
      headerHash: readPoolHash(params[1], 'mining.notify header'),
      seedHash: readPoolHash(params[2], 'mining.notify seed hash'),
      target: readPoolTarget(params[3], 'mining.notify target'),
      clean: true,
      extranonce: Buffer.alloc(0),
      receivedAt: Date.now(),
    };
    const algo = readAlgo(n.extra);
    if (algo !== undefined) job.algo = algo;
    this.emitJob(job);
  }
}
