import { Observable, ReplaySubject, Subject } from 'rxjs';
import type { LodeError } from '../errors';
import type { CloseInfo, LineTransport } from './line-transport';

/** Options of {@link createLinePair}. */
export interface LinePairOptions {
  /**
   * lines one side may have queued for the other before it is delivered
   * (delivery happens on the next macrotask); over it, both sides close with
   * `send queue over N lines (peer not reading)`. Default 10000.
   */
  maxQueuedLines?: number;
}

type Item = { line: string } | { close: string };

class PairEnd implements LineTransport {
  readonly lines$: Observable<string>;
  readonly framingErrors$: Observable<LodeError>;
  readonly closed$: Observable<CloseInfo>;
  other!: PairEnd;
  private readonly linesSubject = new Subject<string>();
  private readonly framingSubject = new Subject<LodeError>();
  private readonly closedSubject = new ReplaySubject<CloseInfo>(1);
  // Items sent by this end, waiting to reach the other end.
  private outbox: Item[] = [];
  private scheduled = false;
  private closed = false;

  constructor(private readonly maxQueuedLines: number) {
    this.lines$ = this.linesSubject.asObservable();
    this.framingErrors$ = this.framingSubject.asObservable();
    this.closed$ = this.closedSubject.asObservable();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(line: string): void {
    if (this.closed) return;
    if (this.outbox.length >= this.maxQueuedLines) {
      this.close(`send queue over ${this.maxQueuedLines} lines (peer not reading)`);
      return;
    }
    this.enqueue({ line });
  }

  close(reason: string): void {
    if (this.closed) return;
    this.finish({ reason, byPeer: false });
    // Like a socket's FIN, the other end sees the close after the lines already sent.
    this.enqueue({ close: reason });
  }

  private enqueue(item: Item): void {
    this.outbox.push(item);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const items = this.outbox;
    this.outbox = [];
    for (const item of items) {
      if (this.other.closed) return;
      if ('line' in item) this.other.linesSubject.next(item.line);
      else this.other.finish({ reason: item.close, byPeer: true });
    }
  }

  private finish(info: CloseInfo): void {
    this.closed = true;
    this.closedSubject.next(info);
    this.closedSubject.complete();
    this.linesSubject.complete();
    this.framingSubject.complete();
  }
}

/**
 * Two connected in-memory {@link LineTransport}s, for tests of dialects and
 * sessions without sockets. A line sent on one end arrives on the other on a
 * later macrotask (`setImmediate`), in order, as it would over a socket.
 * Closing one end closes it at once (`byPeer: false`) and closes the other
 * after the lines already sent reach it (`byPeer: true`, same reason).
 * `framingErrors$` never emits (there are no bytes to frame).
 */
export function createLinePair(options: LinePairOptions = {}): [LineTransport, LineTransport] {
  const max = options.maxQueuedLines ?? 10_000;
  const a = new PairEnd(max);
  const b = new PairEnd(max);
  a.other = b;
  b.other = a;
  return [a, b];
}
