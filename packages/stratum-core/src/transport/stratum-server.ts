import * as net from 'node:net';
import * as tls from 'node:tls';
import { Observable, Subject } from 'rxjs';
import { LodeError } from '../errors';
import { type LodeLogger, silentLogger } from '../logger';
import type { ConnectionOptions } from './connection-options';
import { StratumConnection } from './stratum-connection';

/** A PEM certificate chain and its private key, as strings or Buffers. */
export interface TlsCertificate {
  cert: string | Buffer;
  key: string | Buffer;
}

/** Options of a {@link StratumServer}: where to listen, TLS, and the limits of every connection. */
export interface StratumServerOptions extends ConnectionOptions {
  /** address to bind, e.g. '0.0.0.0', '::' or '127.0.0.1' */
  host: string;
  /** TCP port; 0 picks a free one (read it from `listen()`'s result) */
  port: number;
  /** when set, the port speaks TLS (stratum+ssl / stratum+tls) with this certificate */
  tls?: TlsCertificate;
}

/**
 * A Stratum port: accepts TCP or TLS sockets and hands each out as a
 * {@link StratumConnection} on `connections$` (subscribe before `listen()`;
 * a connection nobody takes is not buffered).
 *
 * Shutdown is two steps, as in NestJS's ServerTCP (facts/stack.md §6.3):
 * `stopAccepting()` closes the listening socket, and `closeAll(reason)`
 * closes the accepted connections, which `net.Server#close` leaves open.
 * TLS sockets still in their handshake are tracked too and destroyed by
 * `closeAll`. `setTlsContext()` swaps the certificate for new handshakes
 * (a renewed certificate without a restart).
 */
export class StratumServer {
  readonly connections$: Observable<StratumConnection>;
  private readonly connectionsSubject = new Subject<StratumConnection>();
  private readonly open = new Set<StratumConnection>();
  // Raw sockets of TLS handshakes in progress, keyed by remote address and port: the
  // TLSSocket that tls.Server wraps around a raw socket is not reachable from it.
  private readonly handshaking = new Map<string, net.Socket>();
  private readonly server: net.Server | tls.Server;
  private readonly logger: LodeLogger;

  constructor(
    private readonly options: StratumServerOptions,
    logger: LodeLogger = options.logger ?? silentLogger,
  ) {
    this.logger = logger.child({ port: options.port, tls: options.tls !== undefined });
    this.connections$ = this.connectionsSubject.asObservable();
    if (options.tls !== undefined) {
      const server = tls.createServer({ cert: options.tls.cert, key: options.tls.key });
      server.on('connection', (socket: net.Socket) => this.trackHandshake(socket));
      server.on('secureConnection', (socket: tls.TLSSocket) => this.accept(socket));
      // Handshake garbage (scanners, plain TCP on a TLS port): Node destroys the socket.
      server.on('tlsClientError', (err: Error) => this.logger.debug({ err: err.message }, 'TLS handshake failed'));
      this.server = server;
    } else {
      this.server = net.createServer((socket) => this.accept(socket));
    }
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

  /**
   * Starts listening.
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
        const address = this.server.address() as net.AddressInfo;
        this.logger.info({ host: address.address, port: address.port }, 'stratum port listening');
        resolve({ host: address.address, port: address.port });
      });
    });
  }

  /** Stops accepting new connections; open ones stay (see `closeAll`). Resolves once the port is unbound. */
  stopAccepting(): Promise<void> {
    if (this.server.listening) {
      // net.Server#close's callback waits for every accepted socket; unbinding itself is synchronous.
      this.server.close();
      this.logger.info({}, 'stratum port stopped accepting');
    }
    return Promise.resolve();
  }

  /** Closes every open connection with `reason` (and drops TLS handshakes in progress). */
  closeAll(reason: string): void {
    for (const socket of this.handshaking.values()) socket.destroy();
    this.handshaking.clear();
    for (const conn of [...this.open]) conn.close(reason);
  }

  /** `stopAccepting()` then `closeAll(reason)`. */
  async close(reason: string): Promise<void> {
    await this.stopAccepting();
    this.closeAll(reason);
  }

  /**
   * Replaces the TLS certificate for handshakes from now on; open connections keep theirs.
   *
   * @throws LodeError('config') when the server was not created with `tls`, or the PEM is not valid
   */
  setTlsContext(certificate: TlsCertificate): void {
    if (!(this.server instanceof tls.Server)) {
      throw new LodeError('config', `stratum port ${this.options.port} was created without tls, cannot set a TLS context`);
    }
    try {
      this.server.setSecureContext({ cert: certificate.cert, key: certificate.key });
    } catch (e) {
      throw new LodeError('config', `TLS certificate or key rejected: ${(e as Error).message}`, { cause: e });
    }
  }

  private trackHandshake(socket: net.Socket): void {
    const key = remoteKey(socket);
    this.handshaking.set(key, socket);
    socket.once('close', () => {
      if (this.handshaking.get(key) === socket) this.handshaking.delete(key);
    });
  }

  private accept(socket: net.Socket): void {
    this.handshaking.delete(remoteKey(socket));
    const conn = new StratumConnection(socket, { ...this.options, logger: this.logger });
    if (conn.isClosed) return;
    this.open.add(conn);
    conn.closed$.subscribe(() => this.open.delete(conn));
    this.logger.debug({ conn: conn.id, remote: `${conn.remoteAddress}:${conn.remotePort}` }, 'connection accepted');
    this.connectionsSubject.next(conn);
  }
}

function remoteKey(socket: net.Socket): string {
  return `${socket.remoteAddress}|${socket.remotePort}`;
}
