import { X509Certificate } from 'node:crypto';
import { readFileSync, type Stats, unwatchFile, watchFile } from 'node:fs';
import * as tls from 'node:tls';
import { LodeError } from '../errors';
import type { LodeLogger } from '../logger';

/** A PEM certificate chain and its private key, as strings or Buffers. */
export interface TlsCertificate {
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * A certificate and key read from PEM files, and read again when either file
 * changes (a renewed certificate without a restart: certbot's renewal, a
 * Kubernetes secret update). A reload that fails (unreadable file, key not
 * matching the certificate) is logged and the certificate in use is kept.
 */
export interface TlsCertificateFiles {
  /** PEM certificate chain, leaf first */
  certFile: string;
  /** PEM private key of the leaf certificate */
  keyFile: string;
  /** how often the files are checked for changes, in ms; default 2000 */
  watchIntervalMs?: number;
}

/** What a port's current certificate is, for logs and status pages (from node's X509Certificate). */
export interface TlsCertificateInfo {
  /** e.g. "CN=pool.example.com" */
  subject: string;
  issuer: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex ("AB:CD:...") */
  fingerprint256: string;
  /** end of validity as OpenSSL prints it, e.g. "Jan  2 03:04:05 2026 GMT" */
  validTo: string;
}

const DEFAULT_WATCH_INTERVAL_MS = 2000;

/**
 * The TLS SecureContext a port hands to each new handshake: built from a
 * certificate in memory, or from PEM files that are watched (`fs.watchFile`
 * polling, so it works on network and container file systems) and re-read
 * when either changes. Changes are coalesced for one interval (a renewal
 * writes both files), then the pair is loaded; a pair that loads replaces the
 * context for new handshakes (info "TLS certificate reloaded"), one that does
 * not is logged (warn) and the context in use is kept.
 */
export class TlsContextSource {
  private context: tls.SecureContext;
  private info: TlsCertificateInfo | undefined;
  private loaded: { cert: Buffer; key: Buffer } | undefined;
  private readonly onChange = (curr: Stats, prev: Stats): void => {
    if (curr.mtimeMs === prev.mtimeMs && curr.ctimeMs === prev.ctimeMs && curr.size === prev.size && curr.ino === prev.ino) return;
    this.scheduleReload();
  };
  private reloadTimer: NodeJS.Timeout | undefined;
  private watching = false;

  /**
   * @throws LodeError('config') naming the file that cannot be read, or the pair
   *   when OpenSSL rejects it (not PEM, key not matching the certificate)
   */
  constructor(
    private readonly source: TlsCertificate | TlsCertificateFiles,
    private readonly logger: LodeLogger,
  ) {
    if (isFiles(source)) {
      const pem = readPair(source);
      this.context = contextFor(pem, `TLS certificate ${source.certFile} and key ${source.keyFile} rejected`);
      this.loaded = pem;
      this.info = describe(pem.cert);
      this.logger.info({ certFile: source.certFile, keyFile: source.keyFile, ...this.info }, 'TLS certificate loaded');
    } else {
      this.context = contextFor(source, 'TLS certificate or key rejected');
      this.info = describe(source.cert);
    }
  }

  /** The context for the next handshake. */
  get current(): tls.SecureContext {
    return this.context;
  }

  /** The certificate in use; undefined when its PEM could not be described. */
  get certificate(): TlsCertificateInfo | undefined {
    return this.info;
  }

  /**
   * Uses `certificate` for handshakes from now on (until the watched files change again).
   *
   * @throws LodeError('config') when OpenSSL rejects the PEM; the context in use is kept
   */
  replace(certificate: TlsCertificate): void {
    this.context = contextFor(certificate, 'TLS certificate or key rejected');
    this.info = describe(certificate.cert);
  }

  /** Starts polling the files for changes (no-op for a certificate in memory, or when already watching). */
  watch(): void {
    if (!isFiles(this.source) || this.watching) return;
    this.watching = true;
    const interval = this.source.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    // persistent: false, so a forgotten watcher never holds the process open.
    watchFile(this.source.certFile, { interval, persistent: false }, this.onChange);
    watchFile(this.source.keyFile, { interval, persistent: false }, this.onChange);
  }

  /** Stops polling. Idempotent. */
  close(): void {
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
    this.reloadTimer = undefined;
    if (!isFiles(this.source) || !this.watching) return;
    this.watching = false;
    // With the listener: another port watching the same files keeps its watcher.
    unwatchFile(this.source.certFile, this.onChange);
    unwatchFile(this.source.keyFile, this.onChange);
  }

  private scheduleReload(): void {
    if (!isFiles(this.source) || !this.watching) return;
    const interval = this.source.watchIntervalMs ?? DEFAULT_WATCH_INTERVAL_MS;
    if (this.reloadTimer !== undefined) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      this.reload();
    }, interval);
    this.reloadTimer.unref();
  }

  private reload(): void {
    const files = this.source as TlsCertificateFiles;
    const where = { certFile: files.certFile, keyFile: files.keyFile };
    let pem: { cert: Buffer; key: Buffer };
    let context: tls.SecureContext;
    try {
      pem = readPair(files);
      if (this.loaded !== undefined && pem.cert.equals(this.loaded.cert) && pem.key.equals(this.loaded.key)) return;
      context = contextFor(pem, `TLS certificate ${files.certFile} and key ${files.keyFile} rejected`);
    } catch (e) {
      this.logger.warn({ ...where, err: (e as Error).message, kept: this.info?.fingerprint256 }, 'TLS certificate reload failed, keeping the certificate in use');
      return;
    }
    this.context = context;
    this.loaded = pem;
    this.info = describe(pem.cert);
    this.logger.info({ ...where, ...this.info }, 'TLS certificate reloaded');
  }
}

function isFiles(source: TlsCertificate | TlsCertificateFiles): source is TlsCertificateFiles {
  return 'certFile' in source;
}

function readPair(files: TlsCertificateFiles): { cert: Buffer; key: Buffer } {
  return { cert: readPem(files.certFile, 'certificate'), key: readPem(files.keyFile, 'key') };
}

function readPem(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new LodeError('config', `TLS ${what} file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

function contextFor(pem: TlsCertificate, what: string): tls.SecureContext {
  try {
    return tls.createSecureContext({ cert: pem.cert, key: pem.key });
  } catch (e) {
    throw new LodeError('config', `${what}: ${(e as Error).message}`, { cause: e });
  }
}

function describe(cert: string | Buffer): TlsCertificateInfo | undefined {
  try {
    const x509 = new X509Certificate(cert);
    return { subject: x509.subject, issuer: x509.issuer, fingerprint256: x509.fingerprint256, validTo: x509.validTo };
  } catch {
    return undefined;
  }
}
