import * as net from 'node:net';
import * as tls from 'node:tls';
import { LodeError } from '../errors';
import { parseStratumUrl } from '../url/parse-stratum-url';
import type { ConnectionOptions } from './connection-options';
import { StratumConnection } from './stratum-connection';

/** TLS settings of a client connection (stratum+ssl / stratum+tls). */
export interface ClientTlsOptions {
  /** verify the pool's certificate; default true. Many pools use self-signed certificates. */
  rejectUnauthorized?: boolean;
  /** trusted CA certificate(s), PEM; e.g. the pool's self-signed certificate */
  ca?: string | Buffer;
  /** SNI and certificate host name; default the URL's host when it is a name, not an IP */
  servername?: string;
}

/** Options of {@link connectStratum}: the connection's limits plus connect-time settings. */
export interface ConnectStratumOptions extends ConnectionOptions {
  /** how long the TCP connect plus TLS handshake may take, in ms; default 10000 */
  connectTimeoutMs?: number;
  tls?: ClientTlsOptions;
}

function hostPort(host: string, port: number): string {
  return net.isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Connects to a pool given its URL (see {@link parseStratumUrl}) and resolves
 * once the TCP connection (and, for stratum+ssl/stratum+tls, the TLS
 * handshake) is up.
 *
 * @throws LodeError('config') for a URL that is not a stratum URL
 * @throws LodeError('connection', 'connect to 127.0.0.1:3333 failed: ECONNREFUSED', {cause})
 *   when the connect or handshake fails (a TLS failure names the verification
 *   code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT), or 'connect to … timed out after 10000 ms'
 */
export function connectStratum(url: string, options: ConnectStratumOptions = {}): Promise<StratumConnection> {
  let target: ReturnType<typeof parseStratumUrl>;
  try {
    target = parseStratumUrl(url);
  } catch (e) {
    return Promise.reject(e);
  }
  const { host, port } = target;
  const where = hostPort(host, port);
  const timeoutMs = options.connectTimeoutMs ?? 10_000;

  return new Promise<StratumConnection>((resolve, reject) => {
    const socket: net.Socket = target.tls
      ? tls.connect({
          host,
          port,
          servername: options.tls?.servername ?? (net.isIP(host) === 0 ? host : undefined),
          rejectUnauthorized: options.tls?.rejectUnauthorized ?? true,
          ca: options.tls?.ca,
        })
      : net.connect({ host, port });
    const readyEvent = target.tls ? 'secureConnect' : 'connect';

    const cleanup = (): void => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(readyEvent, onReady);
    };
    const onError = (err: NodeJS.ErrnoException): void => {
      cleanup();
      socket.destroy();
      const code = err.code;
      // System errors already name their code ("connect ECONNREFUSED …"); TLS ones do not.
      const what = code === undefined ? err.message : err.message.includes(code) ? code : `${code}: ${err.message}`;
      reject(new LodeError('connection', `connect to ${where} failed: ${what}`, { cause: err }));
    };
    const onReady = (): void => {
      cleanup();
      // The connection attaches its own error listener before ours goes.
      resolve(new StratumConnection(socket, options));
    };
    const timer = setTimeout(() => {
      cleanup();
      // Nothing listens any more; an error racing the destroy must not crash the process.
      socket.on('error', () => undefined);
      socket.destroy();
      reject(new LodeError('connection', `connect to ${where} timed out after ${timeoutMs} ms`));
    }, timeoutMs);

    socket.once('error', onError);
    socket.once(readyEvent, onReady);
  });
}
