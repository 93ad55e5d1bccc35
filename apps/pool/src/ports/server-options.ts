import type { StratumServerOptions, TlsCertificate, TlsCertificateFiles } from '@lode/stratum-core';
import type { PortConfig } from '../config/pool-config';
import type { PortOptions } from './port-protection';

/**
 * The StratumServer options of a port: where it listens, TLS from the
 * config's PEM files (re-read on change) unless `options.tls` gives a
 * certificate, the PROXY protocol mode, the connection limits, and the
 * pool's `admit` gate (bans).
 *
 * @param idleTimeoutMs ms without a line before a connection closes; 0 = never
 */
export function stratumServerOptions(
  config: PortConfig,
  options: PortOptions,
  admit: StratumServerOptions['admit'],
  idleTimeoutMs: number,
): StratumServerOptions {
  const tls = options.tls ?? tlsFiles(config.tls);
  return {
    host: config.host,
    port: config.port,
    ...(tls === undefined ? {} : { tls }),
    maxLineBytes: config.maxLineBytes,
    idleTimeoutMs,
    ...(config.proxyProtocol === undefined ? {} : { proxyProtocol: config.proxyProtocol }),
    ...(config.maxConnections === undefined ? {} : { maxConnections: config.maxConnections }),
    ...(config.maxConnectionsPerAddress === undefined ? {} : { maxConnectionsPerAddress: config.maxConnectionsPerAddress }),
    ...(admit === undefined ? {} : { admit }),
  };
}

function tlsFiles(tls: PortConfig['tls']): TlsCertificate | TlsCertificateFiles | undefined {
  if (tls === undefined) return undefined;
  return {
    certFile: tls.certFile,
    keyFile: tls.keyFile,
    ...(tls.watchIntervalSeconds === undefined ? {} : { watchIntervalMs: Math.round(tls.watchIntervalSeconds * 1000) }),
  };
}
