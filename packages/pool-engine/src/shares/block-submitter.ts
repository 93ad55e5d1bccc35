import type { CoinNode, CoinPlugin } from '@lode/plugin-api';
import { silentLogger } from '@lode/stratum-core';
import type { LodeLogger } from '@lode/stratum-core';
import { Subject } from 'rxjs';
import type { Observable } from 'rxjs';
import { observe, type EngineMetrics } from '../engine-metrics';
import type { BlockCandidate } from './block-candidate';
import type { FoundBlock } from './found-block';

/**
 * Builds and submits blocks off the share's reply path: `submit` returns at
 * once, `plugin.buildBlock` + `node.submitBlock` run in the background, the
 * outcome is logged ("block found at height H hash … accepted by node" or the
 * node's reason) and emitted on `blocks$`. A refused or failed submission is
 * emitted with `accepted: false` and its reason, never thrown.
 *
 * @see DESIGN.md "One share through the pool" (when it is a block: submitBlock)
 */
export class BlockSubmitter {
  private readonly blocksSubject = new Subject<FoundBlock>();
  private readonly pending = new Set<Promise<void>>();
  private readonly logger: LodeLogger;
  /** height of the last block the node accepted from this pool */
  private lastAcceptedHeight = -1;

  /** every block candidate with the node's answer; completes on complete() */
  readonly blocks$: Observable<FoundBlock> = this.blocksSubject.asObservable();

  private readonly noun: string;
  private readonly judge: string;

  /**
   * @param wording how the log lines name a candidate and who judges it
   *   (default "block" and "node"; a proxy forwarding upstream-worthy shares
   *   says "upstream share" and "upstream")
   * @param metrics told of every submission's result (EngineMetrics.blockSubmitted);
   *   the node call itself is timed where the engine wraps its node (timedNode)
   */
  constructor(
    private readonly plugin: CoinPlugin,
    private readonly node: CoinNode,
    logger: LodeLogger = silentLogger,
    wording: { noun: string; judge: string } = { noun: 'block', judge: 'node' },
    private readonly metrics?: EngineMetrics,
  ) {
    this.logger = logger.child({ component: 'block-submitter', coin: plugin.id });
    this.noun = wording.noun;
    this.judge = wording.judge;
  }

  /** submissions not yet answered */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Starts building and submitting the block; does not wait for the node. */
  submit(candidate: BlockCandidate): void {
    const run = this.run(candidate).finally(() => this.pending.delete(run));
    this.pending.add(run);
  }

  /** Resolves when every submission started so far has been answered. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** completes blocks$ (after settled(), on engine stop) */
  complete(): void {
    this.blocksSubject.complete();
  }

  private async run(candidate: BlockCandidate): Promise<void> {
    const { job, share, header, hash, worker, seal, blockHash } = candidate;
    const displayHash = blockHash ?? this.plugin.displayHash(hash);
    let found: FoundBlock;
    let outcome: 'accepted' | 'rejected' | 'error' = 'error';
    try {
      const blockHex = this.plugin.buildBlock(job, share, header, seal);
      const result = await this.node.submitBlock(blockHex);
      outcome = result.accepted ? 'accepted' : 'rejected';
      found = {
        height: job.height,
        hash: result.hash || displayHash,
        accepted: result.accepted,
        ...(result.accepted ? {} : { reason: result.reason ?? 'refused without a reason' }),
        worker,
      };
    } catch (error) {
      found = {
        height: job.height,
        hash: displayHash,
        accepted: false,
        reason: error instanceof Error ? error.message : String(error),
        worker,
      };
    }
    observe(this.metrics, 'blockSubmitted', outcome, found.height);
    if (found.accepted) {
      this.lastAcceptedHeight = Math.max(this.lastAcceptedHeight, found.height);
      this.logger.info(
        { height: found.height, hash: found.hash, worker, jobId: job.id },
        `${this.noun} found at height ${found.height} hash ${found.hash} accepted by ${this.judge}`,
      );
    } else if (found.height <= this.lastAcceptedHeight) {
      // Two shares on one job both met the network target before the new
      // template arrived: the node keeps the first, the second is an orphan.
      this.logger.warn(
        { height: found.height, hash: found.hash, worker, jobId: job.id, reason: found.reason },
        `${this.noun} found at height ${found.height} hash ${found.hash} not accepted: ${found.reason} (this pool's ${this.noun} at that height came first)`,
      );
    } else {
      this.logger.error(
        { height: found.height, hash: found.hash, worker, jobId: job.id, reason: found.reason },
        `${this.noun} found at height ${found.height} hash ${found.hash} not accepted: ${found.reason}`,
      );
    }
    this.blocksSubject.next(found);
  }
}
