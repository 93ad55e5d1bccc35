import type { CoinNode } from '@lode/plugin-api';

/**
 * An optional observer of what the engine measures on its own paths, for an
 * app to turn into metrics (apps/pool implements it with prom-client; issue
 * 10). The engine calls each method synchronously where it already knows the
 * value; every method is optional and must not throw (an exception is caught
 * and dropped so that metrics never break the share path). Durations are in
 * SECONDS (Prometheus base unit), measured with a monotonic clock.
 *
 * Labels given here are bounded by the engine: `verdict` is 'accepted' or
 * 'rejected', `reason` a ShareRejectReason, 'stale' for an accepted-stale
 * share, or 'none'; `dialect` is what the app passed in
 * CreateSessionOptions.dialect ('unknown' when it passed nothing). The
 * user agent is passed raw: the app bounds its cardinality.
 */
export interface EngineMetrics {
  /** a session was created for a new connection */
  sessionOpened?(dialect: string): void;
  /**
   * the session subscribed (the first time only); userAgent is what the
   * miner sent (mining.subscribe's first parameter, EthereumStratum hello's
   * agent), '' when nothing
   */
  sessionSubscribed?(dialect: string, userAgent: string): void;
  /** the session closed; userAgent as given to sessionSubscribed, undefined when it never subscribed */
  sessionClosed?(dialect: string, userAgent: string | undefined): void;
  /**
   * a share was judged and recorded
   *
   * @param seconds time spent in validation (ledger lookup, stale/duplicate
   *   rules, header build and hash), not counting the share store
   */
  shareJudged?(verdict: 'accepted' | 'rejected', reason: string, seconds: number): void;
  /**
   * a job was fanned out: from the moment the engine had the template (or
   * refresh) in hand to the return of the last live session's job event,
   * which the apps' ports write synchronously to the socket
   *
   * @param sessions sessions subscribed to jobs at that moment
   */
  jobFannedOut?(seconds: number, sessions: number, clean: boolean): void;
  /** a session's share difficulty changed (vardiff retarget, idle check, ceiling, suggestion or minimum) */
  difficultyChanged?(from: number, to: number): void;
  /**
   * a block candidate was submitted to the node and answered
   *
   * @param result 'accepted', 'rejected' (the node refused it) or 'error' (the call failed)
   */
  blockSubmitted?(result: 'accepted' | 'rejected' | 'error', height: number): void;
  /**
   * one call the engine made to the coin's CoinNode, timed in one place
   * ({@link timedNode}): `method` is the CoinNode method, 'start' (until the
   * first template is in hand, retries included), 'stop' or 'submitBlock'.
   * The node client's own requests (template polls such as
   * getblocktemplate, eth_getWork, Warthog's /chain/mine) happen inside the
   * plugin, not through this contract: apps/pool times them at the HTTP
   * level (docs/metrics.md).
   *
   * @param ok false when the call threw (a refused block is ok: the node answered)
   */
  nodeCall?(method: string, seconds: number, ok: boolean): void;
}

/**
 * The engine's view of a CoinNode: the same node with start, stop and
 * submitBlock timed into `metrics.nodeCall` (seconds from the call to its
 * settlement; ok false when it threw). `templates$` is the node's own. The
 * node itself when there is no observer.
 */
export function timedNode(node: CoinNode, metrics: EngineMetrics | undefined): CoinNode {
  if (metrics?.nodeCall === undefined) return node;
  const timed = async <T>(method: 'start' | 'stop' | 'submitBlock', call: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    try {
      const result = await call();
      observe(metrics, 'nodeCall', method, secondsSince(started), true);
      return result;
    } catch (error) {
      observe(metrics, 'nodeCall', method, secondsSince(started), false);
      throw error;
    }
  };
  return {
    templates$: node.templates$,
    start: () => timed('start', () => node.start()),
    stop: () => timed('stop', () => node.stop()),
    submitBlock: (blockHex) => timed('submitBlock', () => node.submitBlock(blockHex)),
  };
}

/** Calls one EngineMetrics method, dropping whatever it throws. */
export function observe<K extends keyof EngineMetrics>(
  metrics: EngineMetrics | undefined,
  method: K,
  ...args: Parameters<NonNullable<EngineMetrics[K]>>
): void {
  const fn = metrics?.[method] as ((...a: unknown[]) => void) | undefined;
  if (fn === undefined) return;
  try {
    fn.apply(metrics, args);
  } catch {
    // metrics must never break the engine
  }
}

/** seconds elapsed since `start` (a process.hrtime.bigint() value) */
export function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}
