import { StratumErrorCodes, type InvalidLine } from '@lode/stratum-core';

/** What a {@link MalformedWatch} saw itself, for the dialect's count. */
export interface MalformedSeen {
  /** lines the peer could not decode (RpcPeer.invalid$), answered or not */
  invalid: number;
  /** of those, the ones carrying an id (a dialect may answer them) */
  invalidWithId: number;
  /** of those, the ones answered with each error code the codec suggested (EIP-1571: 400) */
  invalidAnsweredByCode: ReadonlyMap<number, number>;
  /** share rejections the port answered, by the dialect's error code */
  rejectionsByCode: ReadonlyMap<number, number>;
}

/**
 * The callbacks a watch gives its peer (a subset of stratum-core's
 * `RpcPeerWatcher`, whatever the codec's params type): any incoming message
 * may have produced an error reply.
 */
export interface MalformedPeerWatcher {
  request(): void;
  notification(): void;
  invalid(bad: InvalidLine): void;
  closed(): void;
}

/**
 * What a watch needs of the connection: an `RpcPeer` (its `watch`, which calls
 * the watcher after the dialect session's own callbacks, and `closed` once,
 * at once when already closed).
 */
export interface WatchedPeer {
  /** @returns a function that removes the watcher */
  watch(watcher: MalformedPeerWatcher): () => void;
}

/**
 * Turns a dialect session's counters into a stream of malformed-message
 * counts for the ban list. The dialect packages have no event for "this
 * message was malformed" (unparseable line, unknown method, wrong params):
 * their sessions only keep counters (requests by method with "unknown",
 * error replies by code, invalid lines). So the watch computes the dialect's
 * malformed total from a counter snapshot (`total`) shortly after each
 * incoming message (setImmediate, coalesced, once the reply has usually been
 * written), and on close, and reports what grew. A reply still queued behind
 * a slow share is caught at the next sample. Totals only grow here: a
 * transient dip (a verdict seen before its reply went out) is never reported
 * twice.
 *
 * It observes the peer by callbacks (`RpcPeer.watch`), not subscriptions:
 * no stream subject or subscriber per connection.
 */
export class MalformedWatch {
  // The maps are the shared empty one until a first entry: most sessions never need them.
  readonly seen: MalformedSeen = { invalid: 0, invalidWithId: 0, invalidAnsweredByCode: NONE, rejectionsByCode: NONE };
  private unwatch: (() => void) | undefined;
  private reported = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;

  /**
   * @param peer the connection's RpcPeer
   * @param total the dialect's malformed total from its counters (see the `*MalformedTotal` functions)
   * @param report gets each increase
   */
  constructor(
    peer: WatchedPeer,
    private readonly total: (seen: MalformedSeen) => number,
    private readonly report: (count: number) => void,
  ) {
    // A peer closed already calls `closed` (so stop) from inside watch(): nothing to remove then.
    const unwatch = peer.watch(new Watcher(this));
    if (this.stopped) unwatch();
    else this.unwatch = unwatch;
  }

  /** Notes a share rejection the port answered with `code` (so that it is not taken for a malformed request). */
  noteRejection(code: number): void {
    this.seen.rejectionsByCode = bumped(this.seen.rejectionsByCode, code);
  }

  /** Samples now. */
  sample(): void {
    const total = this.total(this.seen);
    if (total > this.reported) {
      const grown = total - this.reported;
      this.reported = total;
      this.report(grown);
    }
  }

  /** Samples a last time and ends every subscription and timer. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const unwatch = this.unwatch;
    this.unwatch = undefined;
    unwatch?.();
    this.sample();
  }

  /** @internal Called by this watch's peer watcher for an invalid line; not for callers. */
  onInvalid(bad: InvalidLine): void {
    if (this.stopped) return;
    this.seen.invalid++;
    if (bad.id !== null) {
      this.seen.invalidWithId++;
      if (bad.code !== undefined) this.seen.invalidAnsweredByCode = bumped(this.seen.invalidAnsweredByCode, bad.code);
    }
    this.schedule();
  }

  /** @internal Called by this watch's peer watcher for every message; not for callers. */
  schedule(): void {
    if (this.scheduled !== undefined || this.stopped) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = undefined;
      this.sample();
    });
  }
}

/** A watch's callbacks on its peer: one small object, its methods on the prototype (no closures). */
class Watcher implements MalformedPeerWatcher {
  constructor(private readonly owner: MalformedWatch) {}

  request(): void {
    this.owner.schedule();
  }

  notification(): void {
    this.owner.schedule();
  }

  invalid(bad: InvalidLine): void {
    this.owner.onInvalid(bad);
  }

  closed(): void {
    this.owner.stop();
  }
}

/** The empty map every watch starts with (never written: {@link bumped} copies it first). */
const NONE: ReadonlyMap<number, number> = new Map<number, number>();

/** `map` with `key` counted once more: a map of the watch's own (made from NONE on the first count). */
function bumped(map: ReadonlyMap<number, number>, key: number): Map<number, number> {
  const own = map === NONE ? new Map<number, number>() : (map as Map<number, number>);
  own.set(key, (own.get(key) ?? 0) + 1);
  return own;
}

function at(errors: Record<number, number>, code: number): number {
  return errors[code] ?? 0;
}

/**
 * Stratum v1 (dialect-bitcoin) and Warthog stratum: every malformed message
 * gets a JSON-RPC 2.0 error code (stratum-core StratumErrorCodes: -32700 not
 * JSON, -32600 not a request, -32601 unknown method, -32602 wrong params),
 * which no share rejection uses.
 */
export function jsonRpcMalformedTotal(counters: { errors: Record<number, number> }): number {
  const e = counters.errors;
  return (
    at(e, StratumErrorCodes.PARSE_ERROR) +
    at(e, StratumErrorCodes.INVALID_REQUEST) +
    at(e, StratumErrorCodes.METHOD_NOT_FOUND) +
    at(e, StratumErrorCodes.INVALID_PARAMS)
  );
}

/**
 * EthereumStratum/2.0.0: invalid lines (answered or not), plus 400 "Bad
 * request" and 405 "Method not found" replies, less the 400s that answered
 * an invalid line (counted already) or a share (bad-ntime, bad-version).
 */
export function es2MalformedTotal(counters: { errors: Record<number, number> }, seen: MalformedSeen): number {
  const bad = at(counters.errors, 400) - (seen.invalidAnsweredByCode.get(400) ?? 0) - (seen.rejectionsByCode.get(400) ?? 0);
  return seen.invalid + at(counters.errors, 405) + Math.max(0, bad);
}

/**
 * EthereumStratum/1.0.0, EthProxy and plain stratum: one error code (20)
 * covers malformed requests, unknown methods, invalid lines, internal errors
 * and several share rejections. Counted: invalid lines and miner
 * notifications (counters.invalidLines), unknown methods, and the 20s left
 * once those and the port's own code-20 share rejections are taken out (an
 * undercount of wrong-params requests when some invalid lines went unanswered).
 */
export function classicMalformedTotal(
  counters: { requests: Record<string, number>; errors: Record<number, number>; invalidLines: number },
  seen: MalformedSeen,
): number {
  const unknown = counters.requests['unknown'] ?? 0;
  const rest = at(counters.errors, 20) - (seen.rejectionsByCode.get(20) ?? 0) - unknown - seen.invalid;
  return counters.invalidLines + unknown + Math.max(0, rest);
}
