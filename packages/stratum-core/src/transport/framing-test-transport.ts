import { ReplaySubject, Subject } from 'rxjs';
import type { LodeError } from '../errors';
import type { CloseInfo, LineSink, LineTransport } from './line-transport';

/**
 * An in-memory {@link LineTransport} for tests of a session's framing-error
 * path: the test calls {@link overlong} to report a line over the length cap
 * (which `createLinePair` cannot produce, having no bytes to frame), and the
 * transport then closes as `StratumConnection` does. Lines the session sends
 * are kept in {@link sent}.
 *
 * Made with `attachable` true it links its owner by callbacks (`attach`, as
 * StratumConnection does); otherwise the owner must subscribe to its
 * streams, the path for transports without `attach` (SniffingTransport).
 */
export class FramingTestTransport implements LineTransport {
  /** lines the owner sent, in order, without terminators */
  readonly sent: string[] = [];
  private readonly lines = new Subject<string>();
  private readonly framing = new Subject<LodeError>();
  private readonly closed = new ReplaySubject<CloseInfo>(1);
  readonly lines$ = this.lines.asObservable();
  readonly framingErrors$ = this.framing.asObservable();
  readonly closed$ = this.closed.asObservable();
  /** the owner linked by callbacks (only when made with `attachable`) */
  readonly attach?: (sink: LineSink) => boolean;
  isClosed = false;
  private sink: LineSink | undefined;

  /** @param attachable offer `attach`, as StratumConnection does (default false) */
  constructor(attachable = false) {
    if (attachable) {
      this.attach = (sink) => {
        if (this.sink !== undefined) return false;
        this.sink = sink;
        return true;
      };
    }
  }

  /** True while someone subscribes to framingErrors$ (which this transport never completes). */
  get framingObserved(): boolean {
    return this.framing.observed;
  }

  /** Keeps the line in `sent`; dropped once closed. */
  send(line: string): void {
    if (!this.isClosed) this.sent.push(line);
  }

  /** Closes with `{reason, byPeer: false}`: the sink first, then `closed$`. Idempotent. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.sink?.closed({ reason, byPeer: false });
    this.closed.next({ reason, byPeer: false });
    this.closed.complete();
    this.lines.complete();
  }

  /** As StratumConnection does with an overlong line: reports the framing error (sink, then stream), then closes with its message. */
  overlong(err: LodeError): void {
    this.sink?.framingError?.(err);
    this.framing.next(err);
    this.close(err.message);
  }
}
