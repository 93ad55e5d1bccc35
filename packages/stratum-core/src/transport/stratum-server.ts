import * as net from 'node:net';
import * as tls from 'node:tls';
import { Observable, Subject } from 'rxjs';
import { LodeError } from '../errors';
import { type LodeLogger, silentLogger } from '../logger';
import type { ConnectionOptions } from './connection-options';
import { canonicalAddress, type PeerAddress } from './peer-address';
import type { ProxyProtocolMode } from './proxy-header';
import { readProxyHeader } from './read-proxy-header';
import { StratumConnection } from './stratum-connection';
import { type TlsCertificate, type TlsCertificateFiles, type TlsCertificateInfo, TlsContextSource } from './tls-context-source';

export type { PeerAddress } from './peer-address';
export type { ProxyProtocolMode } from './proxy-header';
export type { TlsCertificate, TlsCertificateFiles, TlsCertificateInfo } from './tls-context-source';

/**
 * Decides whether a new connection is taken, once its real address is known
 * (after the PROXY header, before the TLS handshake): undefined admits; a
 * string refuses, and is the logged reason ("banned until ... (invalid shares)").
 * A refused socket is destroyed without a reply.
 */
export type AdmitConnection = (peer: PeerAddress) => string | undefined;

/** A connection the server refused before handing it out, with why. */
export interface RefusedConnection {
  /** the PROXY header's source when it was read, else the socket's address; undefined if the socket had none */
  peer: PeerAddress | undefined;
  /** 'proxy-header' | 'port-full' | 'address-full' | 'admit' | 'tls-handshake' */
  kind: 'proxy-header' | 'port-full' | 'address-full' | 'admit' | 'tls-handshake';
  reason: string;
}

/** Options of a {@link StratumServer}: where to listen, TLS, PROXY protocol, and the limits of every connection. */
export interface StratumServerOptions extends ConnectionOptions {
  /** address to bind, e.g. '0.0.0.0', '::' or '127.0.0.1' */
  host: string;
  /** TCP port; 0 picks a free one (read it from `listen()`'s result) */
  port: number;
  /**
   * when set, the port speaks TLS (stratum+ssl / stratum+tls): a certificate
   * in memory, or PEM files re-read when they change
   */
  tls?: TlsCertificate | TlsCertificateFiles;
  /** how long a TLS handshake may take, in ms; default 120000 (node's tls.Server default) */
  tlsHandshakeTimeoutMs?: number;
  /** when set, every connection must start with a PROXY protocol header of this version (see {@link ProxyProtocolMode}) */
  proxyProtocol?: ProxyProtocolMode;
  /** how long a connection may take to send its whole PROXY header, in ms; default 5000 */
  proxyHeaderTimeoutMs?: number;
  /** open connections (and TLS handshakes) the port holds at most; a new one over it is refused; default unlimited */
  maxConnections?: number;
  /** open connections from one address (the PROXY header's source when enabled) at most; default unlimited */
  maxConnectionsPerAddress?: number;
  /** the pool's gate (bans); asked after the limits above */
  admit?: AdmitConnection;
}

/**
 * A Stratum port: one `net.Server`, each accepted socket taken through
 *
 * 1. the PROXY protocol header when `proxyProtocol` is set (v1 text or v2
 *    binary, read from the raw socket within `proxyHeaderTimeoutMs`; bytes
 *    after it are kept): its source becomes the connection's `remoteAddress`;
 *    a v2 LOCAL header (health check) keeps the socket's address;
 * 2. the limits: `maxConnections` (open connections plus TLS handshakes in
 *    progress) and `maxConnectionsPerAddress` (keyed by that real address);
 * 3. the `admit` gate (bans);
 * 4. the TLS handshake when `tls` is set (a `tls.TLSSocket` wrapped around the
 *    raw socket, with the SecureContext current at that moment, so a renewed
 *    certificate serves new handshakes while open ones keep theirs; certificate
 *    files are polled and re-read, see {@link TlsContextSource});
 *
 * and handed out as a {@link StratumConnection} on `connections$` (subscribe
 * before `listen()`; a connection nobody takes is not buffered). A socket
 * failing a step is destroyed without a reply, logged with the reason, and
 * emitted on `refused$` with its kind.
 *
 * Shutdown is two steps, as in NestJS's ServerTCP (facts/stack.md §6.3):
 * `stopAccepting()` closes the listening socket (and stops watching
 * certificate files), and `closeAll(reason)` closes the accepted connections,
 * which `net.Server#close` leaves open, and drops sockets still sending
 * their PROXY header or in their TLS handshake.
 *
 * @see HAProxy proxy-protocol.txt (PROXY protocol v1 and v2)
 */
export class StratumServer {
  readonly connections$: Observable<StratumConnection>;
  /** every connection refused before it was handed out (see {@link RefusedConnection}) */
  readonly refused$: Observable<RefusedConnection>;
  /** refusals so far, by kind */
  readonly refusedCounts: Record<RefusedConnection['kind'], number> = { 'proxy-header': 0, 'port-full': 0, 'address-full': 0, admit: 0, 'tls-handshake': 0 };
  private readonly connectionsSubject = new Subject<StratumConnection>();
  private readonly refusedSubject = new Subject<RefusedConnection>();
  private readonly open = new Set<StratumConnection>();
  /** raw sockets still sending their PROXY header */
  private readonly awaitingHeader = new Set<net.Socket>();
  /** TLS sockets in their handshake */
  private readonly handshaking = new Set<tls.TLSSocket>();
  /** sockets destroyed by closeAll, whose failure is not a refusal */
  private readonly dropped = new WeakSet<net.Socket>();
  /** open connections and handshakes by canonical peer address */
  private readonly perAddress = new Map<string, number>();
  private readonly server: net.Server;
  private readonly tlsSource: TlsContextSource | undefined;
  private readonly connectionOptions: ConnectionOptions;
  private readonly logger: LodeLogger;

  /**
   * @throws LodeError('config') when `tls` names a file that cannot be read, or a certificate
   *   and key OpenSSL rejects (the message names the files)
   */
  constructor(
    private readonly options: StratumServerOptions,
    logger: LodeLogger = options.logger ?? silentLogger,
  ) {
    this.logger = logger.child({ port: options.port, tls: options.tls !== undefined });
    this.connections$ = this.connectionsSubject.asObservable();
    this.refused$ = this.refusedSubject.asObservable();
    this.connectionOptions = {
      maxLineBytes: options.maxLineBytes,
      maxSendQueueBytes: options.maxSendQueueBytes,
      idleTimeoutMs: options.idleTimeoutMs,
      logger: this.logger,
    };
    this.tlsSource = options.tls === undefined ? undefined : new TlsContextSource(options.tls, this.logger);
    this.server = net.createServer((socket) => this.onSocket(socket));
    this.server.on('error', (err: Error) => this.logger.error({ err: err.message }, 'stratum server error'));
  }

  /** Open connections (handshakes in progress excluded). */
  get connectionCount(): number {
    return this.open.size;
  }

  /** TLS sockets accepted whose handshake has not finished yet. */
  get pendingHandshakes(): number {
    return this.handshaking.size;
  }

  /** Accepted sockets still sending their PROXY header. */
  get pendingProxyHeaders(): number {
    return this.awaitingHeader.size;
  }

  /** The certificate new TLS handshakes get; undefined without `tls`. */
  get tlsCertificate(): TlsCertificateInfo | undefined {
    return this.tlsSource?.certificate;
  }

  /**
   * Starts listening (and, with certificate files, watching them).
   *
   * @returns the bound address; with port 0, the port the OS picked
   * @throws LodeError('connection', 'listen on 0.0.0.0:3333 failed: EADDRINUSE') when binding fails
   */
  listen(): Promise<{ host: string; port: number }> {
    const { host, port } = this.options;
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        reject(new LodeError('connection', `listen on ${host}:${port} failed: ${err.code ?? err.message}`, { cause: err }));
      };
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.tlsSource?.watch();
        const address = this.server.address() as net.AddressInfo;
        this.logger.info({ host: address.address, port: address.port, ...(this.options.proxyProtocol === undefined ? {} : { proxyProtocol: this.options.proxyProtocol }) }, 'stratum port listening');
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Stops accepting new connections and watching certificate files; open ones stay (see `closeAll`). Resolves once the port is unbound. */
  stopAccepting(): Promise<void> {
    this.tlsSource?.close();
    if (this.server.listening) {
      // net.Server#close's callback waits for every accepted socket; unbinding itself is synchronous.
      this.server.close();
      this.logger.info({}, 'stratum port stopped accepting');
    }
    return Promise.resolve();
  }

  /** Closes every open connection with `reason` (and drops sockets still in their PROXY header or TLS handshake). */
  closeAll(reason: string): void {
    for (const socket of [...this.awaitingHeader, ...this.handshaking]) {
      this.dropped.add(socket);
      socket.destroy();
    }
    this.awaitingHeader.clear();
    this.handshaking.clear();
    for (const conn of [...this.open]) conn.close(reason);
  }

  /** `stopAccepting()` then `closeAll(reason)`. */
  async close(reason: string): Promise<void> {
    await this.stopAccepting();
    this.closeAll(reason);
  }

  /**
   * Replaces the TLS certificate for handshakes from now on; open connections
   * keep theirs. With certificate files, the next change on disk replaces it again.
   *
   * @throws LodeError('config') when the server was not created with `tls`, or the PEM is not valid
   */
  setTlsContext(certificate: TlsCertificate): void {
    if (this.tlsSource === undefined) {
      throw new LodeError('config', `stratum port ${this.options.port} was created without tls, cannot set a TLS context`);
    }
    this.tlsSource.replace(certificate);
  }

  private onSocket(socket: net.Socket): void {
    if (socket.remoteAddress === undefined) {
      // Reset before we saw it: nothing to serve or to log.
      socket.destroy();
      return;
    }
    const own: PeerAddress = { address: canonicalAddress(socket.remoteAddress), port: socket.remotePort as number };
    const mode = this.options.proxyProtocol;
    if (mode === undefined) {
      this.admit(socket, own, false);
      return;
    }
    this.awaitingHeader.add(socket);
    readProxyHeader(socket, mode, this.options.proxyHeaderTimeoutMs ?? 5000, (err, header) => {
      this.awaitingHeader.delete(socket);
      if (err !== undefined || header === undefined) {
        socket.destroy();
        if (this.dropped.has(socket)) return;
        // A peer that closes before any byte is most often a TCP health check: not worth a warning.
        const level = err?.kind === 'connection' ? 'info' : 'warn';
        this.refuse({ peer: own, kind: 'proxy-header', reason: err?.message ?? 'no PROXY header' }, level);
        return;
      }
      this.admit(socket, header.source ?? own, header.source !== undefined);
    });
  }

  private admit(socket: net.Socket, peer: PeerAddress, proxied: boolean): void {
    const reason = this.refusal(peer);
    if (reason !== undefined) {
      socket.destroy();
      this.refuse({ peer, ...reason }, reason.kind === 'admit' ? 'info' : 'warn');
      return;
    }
    const release = this.hold(peer.address);
    if (this.tlsSource === undefined) {
      this.accept(socket, proxied ? peer : undefined, release);
      return;
    }
    this.handshake(socket, peer, proxied, release);
  }

  /** Why the limits or the gate refuse `peer`, or undefined when it is taken. */
  private refusal(peer: PeerAddress): Pick<RefusedConnection, 'kind' | 'reason'> | undefined {
    const { maxConnections, maxConnectionsPerAddress, admit } = this.options;
    const held = this.open.size + this.handshaking.size;
    if (maxConnections !== undefined && held >= maxConnections) {
      return { kind: 'port-full', reason: `port full: ${held} connections, maxConnections is ${maxConnections}` };
    }
    const fromPeer = this.perAddress.get(peer.address) ?? 0;
    if (maxConnectionsPerAddress !== undefined && fromPeer >= maxConnectionsPerAddress) {
      return { kind: 'address-full', reason: `${peer.address} has ${fromPeer} connections, maxConnectionsPerAddress is ${maxConnectionsPerAddress}` };
    }
    if (admit === undefined) return undefined;
    try {
      const refused = admit(peer);
      return refused === undefined ? undefined : { kind: 'admit', reason: refused };
    } catch (e) {
      this.logger.error({ remote: `${peer.address}:${peer.port}`, err: (e as Error).message }, 'admit gate failed; connection refused');
      return { kind: 'admit', reason: `admit gate failed: ${(e as Error).message}` };
    }
  }

  /** Counts a connection of `address` until the returned release (idempotent) is called. */
  private hold(address: string): () => void {
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.perAddress.delete(address);
      else this.perAddress.set(address, n);
    };
  }

  private handshake(socket: net.Socket, peer: PeerAddress, proxied: boolean, release: () => void): void {
    const tlsSource = this.tlsSource as TlsContextSource;
    // After the PROXY header: the TLS layer reads the bytes pushed back onto the raw socket first.
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: tlsSource.current });
    this.handshaking.add(secure);
    const timeoutMs = this.options.tlsHandshakeTimeoutMs ?? 120000;
    const timer = setTimeout(() => fail(`no TLS handshake within ${timeoutMs} ms`), timeoutMs);
    timer.unref();
    const cleanup = (): void => {
      clearTimeout(timer);
      this.handshaking.delete(secure);
      secure.off('secure', onSecure);
      secure.off('error', onError);
      secure.off('close', onClose);
    };
    const fail = (reason: string): void => {
      cleanup();
      secure.destroy();
      release();
      if (this.dropped.has(secure)) return;
      // Scanners and plain TCP on a TLS port are common: debug, as node's tls.Server did.
      this.refuse({ peer, kind: 'tls-handshake', reason }, 'debug');
    };
    const onSecure = (): void => {
      cleanup();
      this.accept(secure, proxied ? peer : undefined, release);
    };
    const onError = (err: Error): void => fail(`TLS handshake failed: ${err.message.trim()}`);
    const onClose = (): void => fail('closed during the TLS handshake');
    secure.once('secure', onSecure);
    secure.on('error', onError);
    secure.once('close', onClose);
    // The raw socket's handle now belongs to the TLS layer; a late error on it must not crash the process.
    socket.on('error', () => undefined);
  }

  private accept(socket: net.Socket, peer: PeerAddress | undefined, release: () => void): void {
    const conn = new StratumConnection(socket, { ...this.connectionOptions, ...(peer === undefined ? {} : { peer }) });
    // A socket that went through readProxyHeader is paused; the connection's 'data' listener needs the flow on.
    socket.resume();
    if (conn.isClosed) {
      release();
      return;
    }
    this.open.add(conn);
    conn.onClose(() => {
      this.open.delete(conn);
      release();
    });
    this.logger.debug(
      { conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}`, ...(peer === undefined ? {} : { via: `${conn.transportAddress}:${conn.transportPort}` }) },
      'connection accepted',
    );
    this.connectionsSubject.next(conn);
  }

  private refuse(refused: RefusedConnection, level: 'debug' | 'info' | 'warn'): void {
    this.refusedCounts[refused.kind]++;
    const remote = refused.peer === undefined ? undefined : `${refused.peer.address}:${refused.peer.port}`;
    this.logger[level]({ remote, kind: refused.kind, reason: refused.reason }, 'connection refused');
    this.refusedSubject.next(refused);
  }
}
