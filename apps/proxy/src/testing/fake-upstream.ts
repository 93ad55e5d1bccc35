import { LodeError } from '@lode/stratum-core';
import type { UpstreamConnector } from '../core/upstream-link';
import { bitcoinUpstreamJob, FakeLink } from './fake-link';

/**
 * An upstream pool made of {@link FakeLink}s for unit specs: its connector
 * hands out a new link per connect (extranonce1 = tag, 0, 0, n; the given
 * extranonce2 size; one job already sent), or fails while `failing` is set.
 */
export class FakeUpstream {
  readonly links: FakeLink[] = [];
  /** when set, connects reject with LodeError('connection', failing) */
  failing: string | undefined;

  constructor(
    private readonly tag: number,
    private readonly extranonce2Size: number,
  ) {}

  readonly connector: UpstreamConnector = async (endpoint) => {
    if (this.failing !== undefined) throw new LodeError('connection', this.failing);
    const link = new FakeLink({
      name: endpoint.name,
      extranonce1: Buffer.from([this.tag, 0, 0, this.links.length + 1]),
      extranonce2Size: this.extranonce2Size,
    });
    link.job(bitcoinUpstreamJob('j1'));
    this.links.push(link);
    return link;
  };

  /** links not closed */
  get live(): FakeLink[] {
    return this.links.filter((l) => l.closedWith === undefined);
  }

  /** closes every live link (the pool "goes down") and refuses connects until `recover()` */
  down(reason = 'pool down'): void {
    this.failing = `connect refused: ${reason}`;
    for (const link of this.live) link.close(reason);
  }

  recover(): void {
    this.failing = undefined;
  }
}
