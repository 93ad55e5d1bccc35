import type { Observable } from 'rxjs';
import type { LodeError } from '../errors';

/** Why a connection closed. */
export interface CloseInfo {
  /** human-readable reason, logged as is ("idle for 600000 ms", "line over 16384 bytes", "peer closed") */
  reason: string;
  /** true when the remote side closed or failed, false when we closed it */
  byPeer: boolean;
}

/** Per-connection counters; monotonically increasing. */
export interface ConnectionCounters {
  bytesIn: number;
  bytesOut: number;
  linesIn: number;
  linesOut: number;
  framingErrors: number;
}

/**
 * A bidirectional stream of text lines: what an RpcPeer needs from a
 * connection. `StratumConnection` (TCP/TLS) implements it, and so does the
 * in-memory pair used in tests.
 *
 * - `lines$` emits each received line without its terminator, then completes on close.
 * - `framingErrors$` emits when the received bytes are not a line (over the
 *   length cap). The transport closes itself right after emitting, so a
 *   subscriber may still `send()` a reply synchronously; it is flushed first.
 * - `closed$` emits once, then completes.
 * - `send()` takes one line without terminator; a send queue over its cap
 *   closes the transport with a logged reason ("send queue over 1048576 bytes").
 * - `attach()`, when a transport has it, links one owner (RpcPeer) by plain
 *   callbacks instead of subscriptions (cheaper per connection).
 */
export interface LineTransport {
  readonly lines$: Observable<string>;
  readonly framingErrors$: Observable<LodeError>;
  readonly closed$: Observable<CloseInfo>;
  readonly isClosed: boolean;
  send(line: string): void;
  close(reason: string): void;
  /**
   * Optional. Links the transport's one owner by callbacks: `sink.line` gets
   * each received line just before `lines$` emits it, `sink.framingError`
   * (when the sink has it) each framing error just before `framingErrors$`
   * emits it, and `sink.closed` the close just before `closed$` emits (at
   * once when already closed). Returns
   * false, linking nothing, when a sink is already attached: the caller then
   * subscribes to the streams.
   */
  attach?(sink: LineSink): boolean;
}

/** The callbacks of a transport's owner (see {@link LineTransport.attach}); none may throw. */
export interface LineSink {
  /** one received line, without its terminator */
  line(line: string): void;
  /**
   * optional: a framing error (a line over the length cap); the transport
   * closes right after, so a reply `send()` from inside it is still flushed
   */
  framingError?(err: LodeError): void;
  /** called once when the transport closes */
  closed(info: CloseInfo): void;
}
