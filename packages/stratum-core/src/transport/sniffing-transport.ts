import { Observable, Subject } from 'rxjs';
import { LodeError } from '../errors';
import type { CloseInfo, LineTransport } from './line-transport';

/** Options of a {@link SniffingTransport}. */
export interface SniffingTransportOptions {
  /**
   * lines held between `handOver()` and the new owner's first read of
   * `lines$`; one more closes the connection ("over N lines waiting for the
   * session"). Default 64.
   */
  maxHeldLines?: number;
}

/**
 * A {@link LineTransport} whose first lines are read before anyone decides
 * how to decode them: the port that serves several dialects on one port
 * looks at the first message (facts/ethash.md §7.2: `mining.hello` ->
 * EthereumStratum/2.0.0, `mining.subscribe` with `EthereumStratum/1.0.0` ->
 * 1.0.0, `eth_submitLogin` -> EthProxy, else plain stratum), then hands the
 * connection to that dialect's RpcPeer.
 *
 * - Until `handOver()`, every received line goes to `sniffed$` and nowhere
 *   else; the sniffer may answer through `send()` (a garbage first line gets
 *   an error) and wait for the next line.
 * - `handOver(line)` ends sniffing: `line` (the one that decided, when
 *   given) and every line received after it reach the subscribers of
 *   `lines$`, in order, starting one microtask after the first subscription,
 *   so that an RpcPeer and its session, built synchronously one after the
 *   other, both see the first message. At most `maxHeldLines` wait.
 * - `send`, `close`, `closed$`, `framingErrors$` and `isClosed` are the
 *   inner transport's. `sniffed$` and `lines$` complete when it closes.
 */
export class SniffingTransport implements LineTransport {
  /** lines received before `handOver()` */
  readonly sniffed$: Observable<string>;
  readonly lines$: Observable<string>;
  readonly framingErrors$: Observable<LodeError>;
  readonly closed$: Observable<CloseInfo>;

  private readonly sniffedSubject = new Subject<string>();
  private readonly linesSubject = new Subject<string>();
  private readonly maxHeldLines: number;
  private held: string[] | undefined = [];
  private handedOver = false;
  private flushScheduled = false;

  /**
   * @throws LodeError('config') when `maxHeldLines` is not a positive integer
   */
  constructor(
    private readonly inner: LineTransport,
    options: SniffingTransportOptions = {},
  ) {
    this.maxHeldLines = options.maxHeldLines ?? 64;
    if (!Number.isSafeInteger(this.maxHeldLines) || this.maxHeldLines <= 0) {
      throw new LodeError('config', `maxHeldLines is ${this.maxHeldLines}, expected a positive integer`);
    }
    this.sniffed$ = this.sniffedSubject.asObservable();
    this.framingErrors$ = inner.framingErrors$;
    this.closed$ = inner.closed$;
    this.lines$ = new Observable<string>((subscriber) => {
      const subscription = this.linesSubject.subscribe(subscriber);
      this.scheduleFlush();
      return subscription;
    });
    inner.lines$.subscribe({
      next: (line) => this.onLine(line),
      complete: () => {
        this.sniffedSubject.complete();
        this.linesSubject.complete();
      },
    });
  }

  get isClosed(): boolean {
    return this.inner.isClosed;
  }

  /** True once `handOver()` was called. */
  get isHandedOver(): boolean {
    return this.handedOver;
  }

  send(line: string): void {
    this.inner.send(line);
  }

  close(reason: string): void {
    this.inner.close(reason);
  }

  /**
   * Ends sniffing: `line` (when given) goes first to `lines$`, then every
   * line received from now on. Idempotent; `sniffed$` completes.
   */
  handOver(line?: string): void {
    if (this.handedOver) return;
    this.handedOver = true;
    if (line !== undefined) this.hold(line);
    this.sniffedSubject.complete();
    if (this.linesSubject.observed) this.scheduleFlush();
  }

  private onLine(line: string): void {
    if (!this.handedOver) {
      this.sniffedSubject.next(line);
      return;
    }
    if (this.held === undefined) {
      this.linesSubject.next(line);
      return;
    }
    this.hold(line);
  }

  private hold(line: string): void {
    const held = this.held;
    if (held === undefined) {
      this.linesSubject.next(line);
      return;
    }
    if (held.length >= this.maxHeldLines) {
      this.inner.close(`over ${this.maxHeldLines} lines waiting for the session`);
      return;
    }
    held.push(line);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.handedOver) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      const held = this.held ?? [];
      this.held = undefined;
      for (const line of held) this.linesSubject.next(line);
    });
  }
}
