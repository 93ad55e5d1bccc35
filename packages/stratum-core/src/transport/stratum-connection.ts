import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
// The timers module's own setImmediate: a test's fake timers (which replace the
// global) must not hold back bytes already handed to the socket.
import { setImmediate } from 'node:timers';
import { Observable, ReplaySubject, Subject } from 'rxjs';
import { LodeError } from '../errors';
import { LineFramer } from '../framing/line-framer';
import { lazyChildLogger, type LodeLogger, silentLogger } from '../logger';
import type { ConnectionOptions } from './connection-options';
import type { CloseInfo, ConnectionCounters, LineSink, LineTransport } from './line-transport';
import { canonicalAddress, type PeerAddress } from './peer-address';

/** How long a gracefully closed socket may take to flush before it is destroyed, in ms. */
const END_GRACE_MS = 1000;

/**
 * Bytes sent within one event-loop turn after which the corked socket is
 * flushed at once (and the send-queue cap checked) rather than at the end of
 * the turn: bounds what one turn can buffer, and keeps large writes as before.
 */
const FLUSH_AT_BYTES = 16 * 1024;

/**
 * Connections corked in one turn after which all of them are flushed at once
 * rather than at the turn's end: a job fanned out to 10,000 sessions reaches
 * the first ones while the loop still writes to the rest.
 */
const FLUSH_AT_CONNECTIONS = 256;

// Ids are unique within a process: a random per-process prefix and a counter.
const ID_PREFIX = randomBytes(2).toString('hex');
let idSeq = 0;

/**
 * A Stratum connection over TCP (`net.Socket`) or TLS (`tls.TLSSocket`, after
 * its handshake): LF-delimited lines in and out, as a {@link LineTransport}.
 *
 * Limits (see {@link ConnectionOptions}), each closing the connection with a
 * logged reason on `closed$` (`byPeer: false`):
 * - a received line over `maxLineBytes` -> the attached sink's
 *   `framingError`, then `framingErrors$`, get LodeError('framing', 'line
 *   over 16384 bytes') first, so the owner or a subscriber can `send()` an
 *   error reply synchronously; the socket is then ended (what was
 *   written is flushed) and destroyed after a 1 s grace;
 * - `socket.writableLength` over `maxSendQueueBytes` after a write ->
 *   destroyed at once, reason `send queue over 1048576 bytes (peer not reading)`;
 * - no line for `idleTimeoutMs` -> reason `idle for 600000 ms`.
 *
 * The peer closing gives `{reason: 'peer closed', byPeer: true}`; a socket
 * error gives `{reason: err.message, byPeer: true}`. `close()` is idempotent;
 * `send()` after close is dropped silently. Nagle is off (`setNoDelay`), as
 * Stratum messages are small and latency-bound.
 *
 * Lines sent within one turn of the event loop go out in one write: the
 * first `send()` of a turn corks the socket, and a `setImmediate` uncorks it
 * (sooner once 16 KiB are waiting on it, or once 256 connections wait), so
 * a burst of replies costs one syscall
 * instead of one each. The send-queue cap is checked after each such flush.
 * Closing flushes what was sent (`socket.end()` uncorks).
 */
export class StratumConnection implements LineTransport {
  /** short id, unique within the process, for logs */
  readonly id: string;
  /**
   * the peer's address, what logs, bans and limits key on: the source named by
   * a PROXY protocol header when the port takes one, else the socket's at
   * accept/connect time; canonical ("::ffff:1.2.3.4" -> "1.2.3.4", see
   * `canonicalAddress`); undefined if the socket was already gone
   */
  readonly remoteAddress: string | undefined;
  /** the peer's port, from the same source as `remoteAddress` */
  readonly remotePort: number | undefined;
  /** the socket's own remote address as the socket reports it (behind a proxy: the proxy's) */
  readonly transportAddress: string | undefined;
  /** the socket's own remote port */
  readonly transportPort: number | undefined;
  readonly counters: ConnectionCounters = { bytesIn: 0, bytesOut: 0, linesIn: 0, linesOut: 0, framingErrors: 0 };

  // The streams' subjects are made when a stream is first read: a connection
  // whose owner is attached by callbacks (RpcPeer) carries none it does not use.
  private linesSubject: Subject<string> | undefined;
  private framingSubject: Subject<LodeError> | undefined;
  private closedSubject: ReplaySubject<CloseInfo> | undefined;
  private sink: LineSink | undefined;
  private closeCallbacks: Array<(info: CloseInfo) => void> | undefined;
  private readonly framer: LineFramer;
  private readonly maxSendQueueBytes: number;
  private readonly idleTimeoutMs: number;
  private readonly logger: LodeLogger;
  private idleTimer: NodeJS.Timeout | undefined;
  private closeInfo: CloseInfo | undefined;
  /** the socket is corked by us: lines of this turn wait for `flush()` */
  private corked = false;
  /** bytes written since the socket was corked */
  private corkedBytes = 0;
  /** a `flush()` is scheduled for the end of this turn */
  private flushScheduled = false;

  /**
   * @param socket a connected TCP socket, or a TLS socket whose handshake is done
   * @param options limits; `peer` is the real client behind a proxy (a PROXY header's source), when known
   */
  constructor(
    private readonly socket: Socket,
    options: ConnectionOptions & { peer?: PeerAddress } = {},
  ) {
    this.id = `${ID_PREFIX}${(++idSeq).toString(36)}`;
    this.transportAddress = socket.remoteAddress;
    this.transportPort = socket.remotePort;
    const peer = options.peer ?? (socket.remoteAddress === undefined ? undefined : { address: socket.remoteAddress, port: socket.remotePort as number });
    this.remoteAddress = peer === undefined ? undefined : canonicalAddress(peer.address);
    this.remotePort = peer?.port;
    this.framer = new LineFramer({ maxLineBytes: options.maxLineBytes });
    this.maxSendQueueBytes = options.maxSendQueueBytes ?? 1024 * 1024;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 0;
    // Made on first use: an idle connection logs nothing until it closes.
    this.logger = lazyChildLogger(options.logger ?? silentLogger, {
      conn: this.id,
      remote: `${this.remoteAddress}:${this.remotePort}`,
      ...(options.peer === undefined ? {} : { via: `${this.transportAddress}:${this.transportPort}` }),
    });

    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Kept for the socket's whole life: an 'error' with no listener would crash the process.
    socket.on('error', (err: Error) => this.finish({ reason: err.message, byPeer: true }));
    socket.on('close', () => this.finish({ reason: 'peer closed', byPeer: true }));
    socket.on('end', () => this.finish({ reason: 'peer closed', byPeer: true }));

    if (this.idleTimeoutMs > 0) {
      this.idleTimer = setTimeout(() => this.close(`idle for ${this.idleTimeoutMs} ms`), this.idleTimeoutMs);
      this.idleTimer.unref();
    }
    if (socket.destroyed) this.finish({ reason: 'peer closed', byPeer: true });
  }

  /** received lines, without terminator; completes on close (at once for a subscriber after it) */
  get lines$(): Observable<string> {
    if (this.linesSubject === undefined) {
      this.linesSubject = new Subject<string>();
      if (this.closeInfo !== undefined) this.linesSubject.complete();
    }
    return this.linesSubject.asObservable();
  }

  /** framing errors (a line over `maxLineBytes`), each emitted just before the connection closes; completes on close */
  get framingErrors$(): Observable<LodeError> {
    if (this.framingSubject === undefined) {
      this.framingSubject = new Subject<LodeError>();
      if (this.closeInfo !== undefined) this.framingSubject.complete();
    }
    return this.framingSubject.asObservable();
  }

  /** emits once (replayed to late subscribers), then completes */
  get closed$(): Observable<CloseInfo> {
    if (this.closedSubject === undefined) {
      this.closedSubject = new ReplaySubject<CloseInfo>(1);
      if (this.closeInfo !== undefined) {
        this.closedSubject.next(this.closeInfo);
        this.closedSubject.complete();
      }
    }
    return this.closedSubject.asObservable();
  }

  get isClosed(): boolean {
    return this.closeInfo !== undefined;
  }

  /**
   * Links the connection's owner (RpcPeer) by callbacks: `sink.line` gets each
   * line just before `lines$` emits it, `sink.framingError` (when given) each
   * framing error just before `framingErrors$`, `sink.closed` the close just
   * before `closed$` (at once when already closed).
   *
   * @returns false, linking nothing, when a sink is already attached
   */
  attach(sink: LineSink): boolean {
    if (this.sink !== undefined) return false;
    this.sink = sink;
    this.onClose((info) => sink.closed(info));
    return true;
  }

  /**
   * Calls `callback` once when the connection closes, before `closed$` emits;
   * at once when it is closed already. Callbacks run in the order given; one
   * that throws is logged and the others still run.
   */
  onClose(callback: (info: CloseInfo) => void): void {
    if (this.closeInfo !== undefined) {
      callback(this.closeInfo);
      return;
    }
    (this.closeCallbacks ??= []).push(callback);
  }

  /**
   * Writes one line (an LF is appended). Dropped silently when closed. Lines
   * of one event-loop turn are written together at its end (or once 16 KiB
   * wait). Closes the connection when, after a write reaches the socket, the
   * bytes the peer has not taken pass `maxSendQueueBytes`.
   */
  send(line: string): void {
    if (this.closeInfo !== undefined) return;
    const data = `${line}\n`;
    if (!this.corked) {
      this.socket.cork();
      this.corked = true;
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        scheduleFlush(this);
      }
    }
    this.socket.write(data);
    const bytes = Buffer.byteLength(data);
    this.counters.linesOut++;
    this.counters.bytesOut += bytes;
    this.corkedBytes += bytes;
    if (this.corkedBytes >= FLUSH_AT_BYTES) this.flush();
    if (turnEnd.length >= FLUSH_AT_CONNECTIONS) flushTurn();
  }

  /** Ends the connection after flushing what was written; destroys it after 1 s at most. Idempotent. */
  close(reason: string): void {
    if (this.closeInfo !== undefined) return;
    this.finish({ reason, byPeer: false });
    this.endGracefully();
  }

  /** @internal The end of the turn in which this connection corked (see scheduleFlush); not for callers. */
  flushAtTurnEnd(): void {
    this.flushScheduled = false;
    this.flush();
  }

  /** Uncorks what this turn wrote, then applies the send-queue cap to what the peer has not taken. */
  private flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.corkedBytes = 0;
    // After close, `socket.end()` has uncorked already (and a destroyed socket drops it).
    if (this.closeInfo !== undefined) return;
    this.socket.uncork();
    if (this.socket.writableLength > this.maxSendQueueBytes) {
      this.finish({ reason: `send queue over ${this.maxSendQueueBytes} bytes (peer not reading)`, byPeer: false });
      // The peer is not reading, so ending gracefully would never flush: drop it now.
      this.socket.destroy();
    }
  }

  private onData(chunk: Buffer): void {
    if (this.closeInfo !== undefined) return;
    this.counters.bytesIn += chunk.length;
    let lines: string[];
    try {
      lines = this.framer.push(chunk);
    } catch (e) {
      this.onFramingError(e as LodeError);
      return;
    }
    for (const line of lines) {
      // A subscriber may close us while handling an earlier line of the same chunk.
      if (this.closeInfo !== undefined) return;
      this.counters.linesIn++;
      this.idleTimer?.refresh();
      this.sink?.line(line);
      if (this.closeInfo !== undefined) return;
      this.linesSubject?.next(line);
    }
  }

  private onFramingError(err: LodeError): void {
    this.counters.framingErrors++;
    this.logger.warn({ err: err.message }, 'framing error');
    this.sink?.framingError?.(err);
    this.framingSubject?.next(err);
    this.close(err.message);
  }

  private endGracefully(): void {
    if (this.socket.destroyed) return;
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), END_GRACE_MS);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  private finish(info: CloseInfo): void {
    if (this.closeInfo !== undefined) return;
    this.closeInfo = info;
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.framer.reset();
    // Not destroyed at once: a reply written just before the peer's FIN still gets flushed.
    if (info.byPeer) this.endGracefully();
    this.logger.debug({ reason: info.reason, byPeer: info.byPeer, ...this.counters }, 'connection closed');
    const callbacks = this.closeCallbacks;
    this.closeCallbacks = undefined;
    for (const callback of callbacks ?? []) {
      try {
        callback(info);
      } catch (err) {
        this.logger.error({ err }, 'close callback threw');
      }
    }
    this.closedSubject?.next(info);
    this.closedSubject?.complete();
    this.linesSubject?.complete();
    this.framingSubject?.complete();
  }
}

/**
 * Connections corked during this event-loop turn, flushed together by one
 * `setImmediate` at its end (or as soon as 256 wait): a job fanned out to
 * 10,000 sessions schedules one callback, not 10,000.
 */
let turnEnd: StratumConnection[] = [];

/** a setImmediate(flushTurn) is pending */
let flushPending = false;

function scheduleFlush(connection: StratumConnection): void {
  if (!flushPending) {
    flushPending = true;
    setImmediate(flushAtTurnEnd);
  }
  turnEnd.push(connection);
}

function flushAtTurnEnd(): void {
  flushPending = false;
  flushTurn();
}

function flushTurn(): void {
  const connections = turnEnd;
  turnEnd = [];
  // One connection's close handler throwing must not leave the others corked.
  let failure: { error: unknown } | undefined;
  for (const connection of connections) {
    try {
      connection.flushAtTurnEnd();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
