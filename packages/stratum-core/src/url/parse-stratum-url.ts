import { LodeError } from '../errors';

/**
 * The URL schemes Stratum pools publish. ethminer names the Ethereum
 * dialects by a digit (facts/ethash.md §1.5, ethereum-mining/ethminer
 * `libpoolprotocols/PoolURI.cpp`): `stratum1+…` EthProxy, `stratum2+…`
 * NiceHash EthereumStratum/1.0.0, `stratum3+…` EthereumStratum/2.0.0
 * (EIP-1571); plain `stratum+…` is Stratum v1 (for ethash: ethminer's
 * mode 0). The same TCP/TLS transport, a different dialect.
 */
export type StratumScheme = `stratum${'' | '1' | '2' | '3'}+${'tcp' | 'ssl' | 'tls'}`;

/** A parsed pool URL. */
export interface StratumUrl {
  scheme: StratumScheme;
  /** host name or IP address; an IPv6 address without its brackets ('::1') */
  host: string;
  /** TCP port, 1-65535 */
  port: number;
  /** true for the +ssl and +tls schemes */
  tls: boolean;
  /** the user part of `user:pass@`, percent-decoded, when present (not used to connect) */
  username?: string;
  /** the password part of `user:pass@`, percent-decoded, when present (not used to connect) */
  password?: string;
}

const SCHEMES: readonly StratumScheme[] = (['', '1', '2', '3'] as const).flatMap((digit) =>
  (['tcp', 'ssl', 'tls'] as const).map((transport): StratumScheme => `stratum${digit}+${transport}`),
);

// Error messages quote the URL without its credentials.
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

// A stray '%' in a worker name is kept as written rather than refused.
function percentDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Parses a pool URL: `stratum+tcp://host:port` (plain TCP), `stratum+ssl://`
 * or `stratum+tls://` (TLS; the two names are used interchangeably by pools
 * and miners). IPv6 hosts are bracketed (`stratum+tcp://[::1]:3333`). A
 * `user:pass@` part is accepted and returned, and a trailing `/` ignored.
 *
 * @throws LodeError('config') naming the URL (without credentials) and the
 *   rule: no scheme, unknown scheme, missing host, missing or invalid port,
 *   or a path, query or fragment
 */
export function parseStratumUrl(url: string): StratumUrl {
  const shown = redact(url);
  const expected = 'expected stratum+tcp://host:port, stratum+ssl://host:port or stratum+tls://host:port (stratum1+… EthProxy, stratum2+… EthereumStratum/1.0.0, stratum3+… EthereumStratum/2.0.0)';
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) throw new LodeError('config', `stratum URL "${shown}" has no scheme, ${expected}`);
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    throw new LodeError('config', `stratum URL "${shown}" has scheme "${scheme}", ${expected}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (e) {
    throw new LodeError('config', `stratum URL "${shown}" is not a valid URL (unreadable host, or port not in 1-65535), ${expected}`, { cause: e });
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new LodeError('config', `stratum URL "${shown}" has no host, ${expected}`);
  if (parsed.port === '') {
    throw new LodeError('config', `stratum URL "${shown}" has no port; Stratum has no default port, ${expected}`);
  }
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LodeError('config', `stratum URL "${shown}" has port ${parsed.port}, expected 1-65535`);
  }
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw new LodeError('config', `stratum URL "${shown}" has a path, query or fragment, ${expected}`);
  }
  const result: StratumUrl = { scheme: scheme as StratumScheme, host, port, tls: !scheme.endsWith('+tcp') };
  if (parsed.username !== '') result.username = percentDecode(parsed.username);
  if (parsed.password !== '') result.password = percentDecode(parsed.password);
  return result;
}
