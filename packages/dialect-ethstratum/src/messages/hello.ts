import { LodeError, toHexBoolean, toHexNumber } from '@lode/stratum-core';
import { readLenientBoolean, readLenientSafeInteger } from './lenient-hex';
import { ETH_STRATUM_PROTO } from './methods';
import { isRecord, show } from './show';

/**
 * What a miner says in `mining.hello`: its software, the host and port it
 * meant to reach (virtual hosting; the server cannot trust them), and the
 * protocol it expects.
 *
 * Wire form: `{"agent":"ethminer-0.17","host":"somemininigpool.com","port":"4d2","proto":"EthereumStratum/2.0.0"}`
 * (the port in hex).
 *
 * @see specs/003_fafafa51dc5fa36a.txt "Session Handling - Hello"; facts/ethash.md §1.3
 */
export interface EthHelloRequest {
  agent: string;
  host: string;
  /** TCP port, 1..65535 (hex on the wire) */
  port: number;
  /** the protocol asked for; the server refuses anything but "EthereumStratum/2.0.0" */
  proto: string;
}

/**
 * The server's answer to `mining.hello`. All six members are mandatory on
 * the wire: ethminer refuses a reply that lacks any of them (facts/ethash.md §1.3).
 *
 * Wire form: `{"proto":"EthereumStratum/2.0.0","encoding":"plain","resume":"1","timeout":"b4","maxerrors":"5","node":"..."}`.
 */
export interface EthHelloResult {
  /** "EthereumStratum/2.0.0", exactly as asked */
  proto: string;
  /** "gzip": every later message, both ways, is gzip-compressed (Lode: `gzipLineCodec`) */
  encoding: 'plain' | 'gzip';
  /** whether the server can resume a session (`mining.subscribe "<session id>"`) */
  resume: boolean;
  /** seconds without a message from the client after which the server may drop it */
  timeoutSeconds: number;
  /** errors the server bears before it closes the connection */
  maxErrors: number;
  /** the node software under the pool, e.g. "Geth/v1.8.18-unstable-f08f596a/linux-amd64/go1.10.4" */
  node: string;
}

/** The longest agent, host or node string accepted, in characters. */
export const MAX_HELLO_STRING = 256;

/**
 * Encodes the params of `mining.hello` (proto "EthereumStratum/2.0.0").
 *
 * @param port TCP port 1..65535
 * @throws LodeError('protocol') if the port is not an integer in 1..65535 or agent/host is empty
 */
export function encodeHelloParams(req: { agent: string; host: string; port: number }): Record<string, unknown> {
  if (!Number.isInteger(req.port) || req.port < 1 || req.port > 65535) {
    throw new LodeError('protocol', `hello port ${show(req.port)} is not an integer in 1..65535`);
  }
  if (typeof req.agent !== 'string' || req.agent.length === 0) throw new LodeError('protocol', 'hello agent is empty');
  if (typeof req.host !== 'string' || req.host.length === 0) throw new LodeError('protocol', 'hello host is empty');
  return { agent: req.agent, host: req.host, port: toHexNumber(req.port), proto: ETH_STRATUM_PROTO };
}

/**
 * Encodes the hello reply with all six members, in the spec's order.
 *
 * @throws LodeError('protocol') if timeoutSeconds or maxErrors is not a safe integer >= 0
 */
export function encodeHelloResult(r: EthHelloResult): Record<string, unknown> {
  return {
    proto: r.proto,
    encoding: r.encoding,
    resume: toHexBoolean(r.resume),
    timeout: toHexNumber(r.timeoutSeconds),
    maxerrors: toHexNumber(r.maxErrors),
    node: r.node,
  };
}

/**
 * Reads the server's hello reply as a client: all six members must be
 * present (as ethminer requires), `proto` must be exactly
 * "EthereumStratum/2.0.0" and `encoding` "plain" or "gzip". Numbers and the
 * resume flag are read tolerantly (hex in either case, or JSON numbers).
 *
 * @throws LodeError('protocol') naming the first member that is missing or wrong
 */
export function decodeHelloResult(result: unknown): EthHelloResult {
  if (!isRecord(result)) {
    throw new LodeError('protocol', `mining.hello result is ${show(result)}, expected an object of six members`);
  }
  for (const name of ['proto', 'encoding', 'resume', 'timeout', 'maxerrors', 'node']) {
    if (!(name in result)) {
      throw new LodeError('protocol', `mining.hello result lacks "${name}" (proto, encoding, resume, timeout, maxerrors and node are mandatory)`);
    }
  }
  const { proto, encoding, node } = result;
  if (proto !== ETH_STRATUM_PROTO) {
    throw new LodeError('protocol', `mining.hello result proto is ${show(proto)}, expected "${ETH_STRATUM_PROTO}"`);
  }
  if (encoding !== 'plain' && encoding !== 'gzip') {
    throw new LodeError('protocol', `mining.hello result encoding is ${show(encoding)}, expected "plain" or "gzip"`);
  }
  if (typeof node !== 'string') throw new LodeError('protocol', `mining.hello result node is ${show(node)}, expected a string`);
  return {
    proto,
    encoding,
    resume: readLenientBoolean(result['resume'], 'mining.hello result resume'),
    timeoutSeconds: readLenientSafeInteger(result['timeout'], 'mining.hello result timeout'),
    maxErrors: readLenientSafeInteger(result['maxerrors'], 'mining.hello result maxerrors'),
    node,
  };
}
