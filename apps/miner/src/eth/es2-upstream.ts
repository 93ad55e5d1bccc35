import { EthStratumClientSession, type EthClientJob } from '@lode/dialect-ethstratum';
import { eip1571Codec, RpcPeer, type Eip1571Params, type LineTransport, type LodeLogger } from '@lode/stratum-core';
import { Subscription, take } from 'rxjs';
import type { EthShareAnswer, EthUpstream, EthUpstreamContext, EthUpstreamLink, EthWorkJob } from './eth-upstream';

/**
 * EthereumStratum/2.0.0 (EIP-1571, "stratum3"; specs/003_fafafa51dc5fa36a.txt,
 * facts/ethash.md §1.3): hello, subscribe (resuming its last session id when
 * the pool allows it, re-authorizing only when the session is new),
 * authorize; submits the nonce without the extranonce with the worker token;
 * 2xx answers count as accepted-stale; says `mining.bye` on close;
 * `mining.reconnect` goes to the context.
 */
export class Es2Upstream implements EthUpstream {
  readonly dialect = 'es2' as const;
  private sessionId: string | undefined;
  private token: string | undefined;
  private resumable = false;

  constructor(
    private readonly user: string,
    private readonly password: string,
    private readonly logger: LodeLogger,
  ) {}

  async open(transport: LineTransport, context: EthUpstreamContext, endpoint: { host: string; port: number }, agent: string): Promise<EthUpstreamLink> {
    const peer = new RpcPeer<Eip1571Params>(transport, eip1571Codec, { logger: this.logger, firstRequestId: 0, maxRequestId: 65535 });
    const session = new EthStratumClientSession(peer, { logger: this.logger });
    const subscriptions = new Subscription();
    subscriptions.add(transport.closed$.pipe(take(1)).subscribe(() => subscriptions.unsubscribe()));
    let token: string | undefined;
    subscriptions.add(session.jobs$.subscribe((job) => context.onJob(this.toWork(job, session, () => token))));
    subscriptions.add(
      session.reconnect$.subscribe((r) => {
        if (!r.resume) this.sessionId = undefined;
        context.onReconnect(r.host, r.port);
        transport.close('mining.reconnect');
      }),
    );
    try {
      const hello = await session.hello({ agent, host: endpoint.host, port: endpoint.port });
      this.resumable = hello.resume;
      context.onEvent({ type: 'connected', node: hello.node, encoding: hello.encoding });
      const { sessionId, resumed } = await session.subscribe(this.resumable ? this.sessionId : undefined);
      this.sessionId = sessionId;
      context.onEvent({ type: 'subscribed', sessionId, resumed });
      if (!resumed || this.token === undefined) {
        this.token = await session.authorize(this.user, this.password);
        context.onEvent({ type: 'authorized', worker: this.user, token: this.token, extranonce: '' });
      }
      token = this.token;
    } catch (e) {
      subscriptions.unsubscribe();
      throw e;
    }
    const linkToken = token;
    return {
      reportHashrate: (hashrate) => session.reportHashrate(hashrate, linkToken),
      close: (reason) => {
        session.bye();
        transport.close(reason);
      },
    };
  }

  private toWork(job: EthClientJob, session: EthStratumClientSession, token: () => string | undefined): EthWorkJob {
    const suffixBytes = 8 - job.extranonce.length;
    const suffixMask = (1n << BigInt(suffixBytes * 8)) - 1n;
    return {
      jobId: job.jobId,
      headerHash: job.headerHash,
      algo: job.algo === 'etchash' ? 'etchash' : 'ethash',
      epoch: job.epoch,
      target: job.target,
      height: job.height,
      clean: job.clean,
      extranonce: job.extranonce,
      submit: async (nonce): Promise<EthShareAnswer> => {
        const suffix = Buffer.from((nonce & suffixMask).toString(16).padStart(suffixBytes * 2, '0'), 'hex');
        const answer = await session.submit(job.jobId, suffix, token() ?? '');
        return {
          accepted: answer.accepted,
          stale: answer.accepted && answer.stale,
          ...(answer.code === undefined ? {} : { code: answer.code }),
          ...(answer.message === undefined ? {} : { message: answer.message }),
        };
      },
    };
  }
}
