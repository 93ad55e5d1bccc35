import type { MalformedKind, RpcId } from '@lode/stratum-core';
import type { EthDialect } from '../classic/classic-contract';
import { ES1_PROTOCOL } from '../es1/es1-methods';

/**
 * Every Ethereum dialect a Lode port can serve on one port, in ethminer's
 * autodetect order (facts/ethash.md §1.3 "Implementations found"): ES2, ES1,
 * EthProxy, plain stratum.
 */
export const ETH_DIALECTS: readonly EthDialect[] = Object.freeze(['es2', 'es1', 'ethproxy', 'plain'] as const);

/** Each dialect's name as its spec and miners' docs write it, for logs and error messages. */
export const ETH_DIALECT_NAMES: Readonly<Record<EthDialect, string>> = Object.freeze({
  es2: 'EthereumStratum/2.0.0',
  es1: 'EthereumStratum/1.0.0',
  ethproxy: 'EthProxy',
  plain: 'plain stratum',
});

/**
 * Each dialect's URL scheme in ethminer's naming (facts/ethash.md §1.5,
 * ethereum-mining/ethminer `libpoolprotocols/PoolURI.cpp`): `stratum3` ES2,
 * `stratum2` ES1 (NiceHash), `stratum1` EthProxy, `stratum` plain (mode 0);
 * followed by `+tcp` or `+tls`.
 */
export const ETH_DIALECT_SCHEMES: Readonly<Record<EthDialect, string>> = Object.freeze({
  es2: 'stratum3',
  es1: 'stratum2',
  ethproxy: 'stratum1',
  plain: 'stratum',
});

/** The first methods that start a session in one of {@link ETH_DIALECTS}, for error messages. */
export const ETH_FIRST_METHODS = 'mining.hello, mining.subscribe or eth_submitLogin';

/**
 * What the first line of a connection says:
 *
 * - `{ dialect, method }`: the dialect whose session should read the line
 *   (the line itself is not checked further: its session answers a bad one in
 *   its own error format, e.g. a `mining.hello` with bad params gets the ES2
 *   session's 400);
 * - `{ error, kind, id }`: no dialect starts with it; `error` says why,
 *   `kind` is the malformed-message kind (stratum-core MalformedKind):
 *   `not-json`, `not-request` (not an object, no method, a method that is not
 *   a non-empty string) or `unknown-method` (an unknown first method); `id`
 *   is the line's id when it could be read (a number or a string), else null.
 */
export type EthDetection =
  | { dialect: EthDialect; method: string }
  | { error: string; kind: Extract<MalformedKind, 'not-json' | 'not-request' | 'unknown-method'>; id: RpcId };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a JSON array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 37)}...` : text}`;
}

function readableId(id: unknown): RpcId {
  if (typeof id === 'string') return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return null;
}

/**
 * Tells the Ethereum dialect of a connection from its first line, as
 * facts/ethash.md §7.2 recommends (the first method decides):
 *
 * | first message                                             | dialect    |
 * | --------------------------------------------------------- | ---------- |
 * | `mining.hello` (any params)                               | `es2`      |
 * | `mining.subscribe` with `params[1]` "EthereumStratum/1.0.0" | `es1`    |
 * | `eth_submitLogin`, or any other `eth_*` method            | `ethproxy` |
 * | any other `mining.subscribe` (no params, "EthereumStratum/2.0.0", ...) | `plain` |
 *
 * Other `eth_*` first methods (`eth_getWork`, `eth_submitHashrate`) go to
 * EthProxy, whose session refuses them before login with its own error.
 * The ES1 protocol string is compared exactly, as ethminer and the spec do.
 *
 * Never throws; garbage gives `{ error, id }` (see {@link EthDetection}).
 *
 * @param line one received line, without its terminator
 */
export function detectEthDialect(line: string): EthDetection {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (e) {
    return { error: `invalid JSON: ${(e as Error).message}`, kind: 'not-json', id: null };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { error: `the message is ${describe(parsed)}, expected a JSON object`, kind: 'not-request', id: null };
  }
  const msg = parsed as Record<string, unknown>;
  const id = readableId(msg['id']);
  const method = msg['method'];
  if (method === undefined) return { error: 'the first message has no method', kind: 'not-request', id };
  if (typeof method !== 'string' || method === '') {
    return { error: `method is ${describe(method)}, expected a non-empty string`, kind: 'not-request', id };
  }
  if (method === 'mining.hello') return { dialect: 'es2', method };
  if (method === 'mining.subscribe') {
    const params = msg['params'];
    const es1 = Array.isArray(params) && params[1] === ES1_PROTOCOL;
    return { dialect: es1 ? 'es1' : 'plain', method };
  }
  if (method.startsWith('eth_')) return { dialect: 'ethproxy', method };
  const shown = method.length > 64 ? `${method.slice(0, 61)}...` : method;
  return { error: `no Ethereum stratum dialect starts with ${JSON.stringify(shown)}`, kind: 'unknown-method', id };
}
