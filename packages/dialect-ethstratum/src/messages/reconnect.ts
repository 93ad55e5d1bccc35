import { LodeError, toHexBoolean, toHexNumber } from '@lode/stratum-core';
import { readLenientBoolean, readLenientSafeInteger } from './lenient-hex';
import { isRecord, show } from './show';

/**
 * `mining.reconnect` (server -> client notification): where the miner
 * should go. A server ignores one received from a client.
 *
 * Wire form: `{"host":"someotherhost.com","port":"d80","resume":"1"}` (port in hex).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Reconnect"
 */
export interface EthReconnect {
  /** a DNS name (TLS checks the certificate against it), not an IP address when avoidable */
  host: string;
  /** TCP port 1..65535 */
  port: number;
  /** whether the target server is prepared to resume this session */
  resume: boolean;
}

/**
 * Encodes `mining.reconnect` params.
 *
 * @throws LodeError('protocol') if the host is empty or the port not in 1..65535
 */
export function encodeReconnectParams(r: EthReconnect): Record<string, unknown> {
  if (typeof r.host !== 'string' || r.host.length === 0) throw new LodeError('protocol', 'reconnect host is empty');
  if (!Number.isInteger(r.port) || r.port < 1 || r.port > 65535) {
    throw new LodeError('protocol', `reconnect port ${show(r.port)} is not an integer in 1..65535`);
  }
  return { host: r.host, port: toHexNumber(r.port), resume: toHexBoolean(r.resume) };
}

/**
 * Reads `mining.reconnect` params as a client. `resume` absent reads as false.
 *
 * @throws LodeError('protocol') naming the member that is missing or wrong
 */
export function decodeReconnectParams(params: unknown): EthReconnect {
  if (!isRecord(params)) throw new LodeError('protocol', `mining.reconnect params is ${show(params)}, expected {host, port, resume}`);
  const { host } = params;
  if (typeof host !== 'string' || host.length === 0) {
    throw new LodeError('protocol', `mining.reconnect host is ${show(host)}, expected a non-empty string`);
  }
  const port = readLenientSafeInteger(params['port'], 'mining.reconnect port');
  if (port < 1 || port > 65535) throw new LodeError('protocol', `mining.reconnect port ${port} is not in 1..65535`);
  const resume = 'resume' in params ? readLenientBoolean(params['resume'], 'mining.reconnect resume') : false;
  return { host, port, resume };
}
