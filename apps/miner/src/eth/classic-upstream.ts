import {
  Es1ClientSession,
  ethCodecFor,
  EthProxyClientSession,
  PlainEthClientSession,
  type EthClassicClientJob,
  type EthClassicClientSession,
  type EthClassicClientSessionOptions,
  type EthClassicDialect,
} from '@lode/dialect-ethstratum';
import { RpcPeer, type LineTransport, type LodeLogger } from '@lode/stratum-core';
import { Subscription, take } from 'rxjs';
import type { EthShareAnswer, EthUpstream, EthUpstreamContext, EthUpstreamLink, EthWorkJob } from './eth-upstream';
import type { SeedEpochs } from './seed-epochs';

/** What a {@link ClassicUpstream} needs besides the connection. */
export interface ClassicUpstreamOptions {
  dialect: EthClassicDialect;
  /** `<wallet>[.<worker>]` */
  user: string;
  password: string;
  /** the seed hash -> epoch map, shared by the miner's connections */
  seeds: SeedEpochs;
  logger: LodeLogger;
}

/**
 * The dialects older than EthereumStratum/2.0.0 over any
 * EthClassicClientSession (facts/ethash.md §1.1, §1.2, §1.4, §1.6):
 *
 * - `es1` (NiceHash EthereumStratum/1.0.0, "stratum2"): `Es1ClientSession`
 *   over `classicCodec`; the job's extranonce is the nonce's prefix, the
 *   session submits the rest;
 * - `ethproxy` (`eth_submitLogin`, "stratum1"): `EthProxyClientSession` over
 *   `jsonRpc2Codec` with the push method; the miner picks all 8 nonce bytes
 *   and sends the mix digest;
 * - `plain` (ethminer's mode 0, "stratum"): `PlainEthClientSession` over
 *   `classicCodec`; as EthProxy for the nonce and the mix.
 *
 * Jobs carry the seed hash, not the epoch: `seeds.workOf` maps it. A job
 * whose seed is no epoch's goes to `context.onBadJob`.
 */
export class ClassicUpstream implements EthUpstream {
  readonly dialect: EthClassicDialect;

  constructor(private readonly options: ClassicUpstreamOptions) {
    this.dialect = options.dialect;
  }

  async open(transport: LineTransport, context: EthUpstreamContext, _endpoint: { host: string; port: number }, agent: string): Promise<EthUpstreamLink> {
    const { codec, peerOptions } = ethCodecFor(this.dialect);
    const peer = new RpcPeer<unknown[]>(transport, codec, { ...peerOptions, logger: this.options.logger });
    const sessionOptions: EthClassicClientSessionOptions = {
      userAgent: agent,
      workerName: this.options.user,
      password: this.options.password,
      logger: this.options.logger,
    };
    const session: EthClassicClientSession =
      this.dialect === 'es1'
        ? new Es1ClientSession(peer, sessionOptions)
        : this.dialect === 'ethproxy'
          ? new EthProxyClientSession(peer, sessionOptions)
          : new PlainEthClientSession(peer, sessionOptions);
    const subscriptions = new Subscription();
    subscriptions.add(transport.closed$.pipe(take(1)).subscribe(() => subscriptions.unsubscribe()));
    subscriptions.add(
      session.jobs$.subscribe((job) => {
        let work: EthWorkJob;
        try {
          work = this.toWork(job, session);
        } catch (e) {
          context.onBadJob(job.jobId, (e as Error).message);
          return;
        }
        context.onJob(work);
      }),
    );
    try {
      const { extranonce } = await session.start();
      context.onEvent({ type: 'connected', node: '', encoding: 'plain' });
      context.onEvent({ type: 'authorized', worker: this.options.user, token: '', extranonce: extranonce.toString('hex') });
    } catch (e) {
      subscriptions.unsubscribe();
      throw e;
    }
    return {
      reportHashrate: async (hashrate) => {
        await session.reportHashrate(hashrate);
        return undefined;
      },
      close: (reason) => session.close(reason),
    };
  }

  /**
   * The job as the mining loop scans it: epoch and algorithm from the seed
   * hash and the job's `algo` member.
   *
   * @throws LodeError('protocol') from SeedEpochs.workOf
   */
  private toWork(job: EthClassicClientJob, session: EthClassicClientSession): EthWorkJob {
    const { algo, epoch } = this.options.seeds.workOf(job.seedHash, job.algo);
    return {
      jobId: job.jobId,
      headerHash: job.headerHash,
      algo,
      epoch,
      target: job.target,
      height: job.height,
      clean: job.clean,
      extranonce: job.extranonce,
      submit: async (nonce, mix): Promise<EthShareAnswer> => {
        const outcome = await session.submit(job, Buffer.from(nonce.toString(16).padStart(16, '0'), 'hex'), mix);
        if (outcome.accepted) return { accepted: true, stale: false };
        return { accepted: false, stale: false, code: outcome.error.code, message: outcome.error.message };
      },
    };
  }
}
