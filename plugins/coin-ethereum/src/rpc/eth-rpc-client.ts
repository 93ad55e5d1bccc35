import { LodeError } from '@lode/plugin-api';
import { parseBoundary } from '../boundary/parse-boundary';
import type { EthWork } from './eth-work';

/** Where and how to reach an Ethereum node's JSON-RPC server (geth, core-geth, Besu, ...). */
export interface EthRpcOptions {
  /** e.g. "http://127.0.0.1:8545" (credentials in the URL are sent as basic auth) */
  url: string;
  /** time limit per call, ms (5000) */
  timeoutMs?: number;
}

/** Per-call options. */
export interface EthRpcCallOptions {
  /** time limit of this call, ms (defaults to the client's timeoutMs) */
  timeoutMs?: number;
  /** aborts the call (EthereumNode.stop ends in-flight polls with it) */
  signal?: AbortSignal;
}

interface RpcResponse {
  result?: unknown;
  error?: { code?: number; message?: string; data?: unknown } | null;
}

const HASH_HEX = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY_HEX = /^0x(0|[1-9a-fA-F][0-9a-fA-F]*)$/;
const TWO_64 = 1n << 64n;

/**
 * A JSON-RPC 2.0 client for the mining methods of an Ethereum-family node,
 * over HTTP (global fetch).
 *
 * Every failure is a LodeError('node') naming the method and the node's URL:
 * - the node's JSON-RPC error, with `code` = its error code ("eth node at
 *   http://127.0.0.1:8545 refused eth_getWork: -32000 no mining work available yet");
 * - an HTTP status other than 2xx without a JSON-RPC error;
 * - no answer within `timeoutMs` (5000), an abort, or a transport failure (ECONNREFUSED);
 * - a body that is not JSON-RPC, or a result of the wrong shape.
 *
 * @see facts/ethash.md §1.1 (the methods and their hex forms), §5.3 (what the node does with them)
 */
export class EthRpcClient {
  /** the URL without credentials, for messages and logs */
  readonly url: string;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly authorization?: string;
  private nextId = 0;

  /** @throws LodeError('config') for a URL that is not http(s) */
  constructor(options: EthRpcOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch (cause) {
      throw new LodeError('config', `node.url "${options.url}" is not a URL`, { cause });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new LodeError('config', `node.url "${options.url}" must be http:// or https://`);
    }
    // fetch refuses URLs with credentials, so they move to the header
    if (parsed.username !== '' || parsed.password !== '') {
      const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
      this.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`;
      parsed.username = '';
      parsed.password = '';
    }
    this.endpoint = parsed.toString();
    this.url = this.endpoint.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * Calls one method.
   *
   * @returns the `result` member, unchecked
   * @throws LodeError('node') as described on the class
   */
  async call<T = unknown>(method: string, params: unknown[] = [], options: EthRpcCallOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal !== undefined ? AbortSignal.any([timeout, options.signal]) : timeout;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.authorization !== undefined) headers['authorization'] = this.authorization;
    let status: number;
    let text: string;
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: ++this.nextId, method, params }),
        signal,
      });
      status = response.status;
      // read inside the try: the time limit and the abort cover the body too
      text = await response.text();
    } catch (cause) {
      if (options.signal?.aborted === true) {
        throw new LodeError('node', `${method} to the eth node at ${this.url} was aborted`, { cause });
      }
      if (timeout.aborted) {
        throw new LodeError('node', `eth node at ${this.url} did not answer ${method} within ${timeoutMs} ms`, { cause });
      }
      throw new LodeError('node', `eth node at ${this.url} unreachable (${method}): ${transportReason(cause)}`, { cause });
    }
    let body: RpcResponse | null;
    try {
      body = JSON.parse(text) as RpcResponse | null;
    } catch (cause) {
      throw new LodeError(
        'node',
        `eth node at ${this.url} answered ${method} with HTTP ${status} and no JSON-RPC body: ${JSON.stringify(text.slice(0, 120))}`,
        { cause },
      );
    }
    if (typeof body === 'object' && body !== null && body.error !== undefined && body.error !== null) {
      const { code, message } = body.error;
      throw new LodeError('node', `eth node at ${this.url} refused ${method}: ${code ?? '?'} ${message ?? ''}`.trimEnd(), {
        code: typeof code === 'number' ? code : undefined,
        data: body.error,
      });
    }
    if (status < 200 || status > 299) {
      throw new LodeError('node', `eth node at ${this.url} answered ${method} with HTTP ${status}: ${JSON.stringify(text.slice(0, 120))}`);
    }
    if (typeof body !== 'object' || body === null || !('result' in body)) {
      throw new LodeError('node', `eth node at ${this.url} answered ${method} with neither result nor error: ${JSON.stringify(text.slice(0, 120))}`);
    }
    return body.result as T;
  }

  /**
   * `eth_getWork`: the seal hash, seed hash and boundary of the block the
   * node wants mined, and its number when the node sends a 4th element
   * (geth and core-geth do; facts/ethash.md §5.3).
   *
   * @throws LodeError('node') as call(), or for a result that is not 3 or 4
   *   0x-hex strings of the expected widths
   */
  async getWork(options?: EthRpcCallOptions): Promise<EthWork> {
    const result = await this.call<unknown>('eth_getWork', [], options);
    const malformed = (why: string): LodeError =>
      new LodeError('node', `eth node at ${this.url} answered eth_getWork with a malformed result (${why}): ${short(result)}`);
    if (!Array.isArray(result) || (result.length !== 3 && result.length !== 4)) {
      throw malformed('expected [headerHash, seedHash, boundary] or [headerHash, seedHash, boundary, blockNumber]');
    }
    const [header, seed, boundaryHex, number] = result as unknown[];
    if (typeof header !== 'string' || !HASH_HEX.test(header)) throw malformed('the header hash is not 0x + 64 hex digits');
    if (typeof seed !== 'string' || !HASH_HEX.test(seed)) throw malformed('the seed hash is not 0x + 64 hex digits');
    let boundary: bigint;
    try {
      if (typeof boundaryHex !== 'string' || !boundaryHex.startsWith('0x')) throw new Error('not 0x-hex');
      boundary = parseBoundary(boundaryHex, 'boundary');
    } catch {
      throw malformed('the boundary is not 0x + 1 to 64 hex digits above zero');
    }
    const work: EthWork = { headerHash: header.slice(2).toLowerCase(), seedHash: seed.slice(2).toLowerCase(), boundary };
    if (number !== undefined) {
      const height = typeof number === 'string' ? quantity(number) : undefined;
      if (height === undefined) throw malformed('the block number is not a 0x-hex quantity');
      work.height = height;
    }
    return work;
  }

  /**
   * `eth_submitWork [nonce, headerHash, mixDigest]` as "0x" + 16, 64 and 64
   * lower-case hex digits (the nonce big-endian).
   *
   * @param nonce the 64-bit nonce
   * @param headerHash the seal hash from eth_getWork, 32 bytes
   * @param mix the mix digest hashimoto computed, 32 bytes
   * @returns the node's verdict: false for unknown (stale) work or an invalid seal
   * @throws LodeError('plugin') for arguments of the wrong size; LodeError('node') as call(), or for a result that is not a boolean
   */
  async submitWork(nonce: bigint, headerHash: Buffer, mix: Buffer, options?: EthRpcCallOptions): Promise<boolean> {
    if (typeof nonce !== 'bigint' || nonce < 0n || nonce >= TWO_64) {
      throw new LodeError('plugin', `eth_submitWork: the nonce must be in [0, 2^64), got ${String(nonce)}`);
    }
    assertBytes32(headerHash, 'eth_submitWork: the header hash');
    assertBytes32(mix, 'eth_submitWork: the mix digest');
    const params = [`0x${nonce.toString(16).padStart(16, '0')}`, `0x${headerHash.toString('hex')}`, `0x${mix.toString('hex')}`];
    return this.bool('eth_submitWork', params, options);
  }

  /**
   * `eth_submitHashrate [rate, id]`: reports a miner's hashrate to the node.
   * The rate goes as a JSON-RPC quantity ("0x" + hex without leading zeros),
   * the form geth's `hexutil.Uint64` parameter takes.
   *
   * @param hashrate hashes per second, in [0, 2^64)
   * @param id the reporter's 32-byte id (random, fixed per miner)
   * @returns the node's answer (true when recorded)
   * @throws LodeError('plugin') for arguments out of range; LodeError('node') as call()
   */
  async submitHashrate(hashrate: bigint, id: Buffer, options?: EthRpcCallOptions): Promise<boolean> {
    if (typeof hashrate !== 'bigint' || hashrate < 0n || hashrate >= TWO_64) {
      throw new LodeError('plugin', `eth_submitHashrate: the hashrate must be in [0, 2^64) H/s, got ${String(hashrate)}`);
    }
    assertBytes32(id, 'eth_submitHashrate: the id');
    return this.bool('eth_submitHashrate', [`0x${hashrate.toString(16)}`, `0x${id.toString('hex')}`], options);
  }

  /**
   * `eth_blockNumber`: the node's head.
   *
   * @throws LodeError('node') as call(), or for a result that is not a 0x-hex quantity
   */
  async blockNumber(options?: EthRpcCallOptions): Promise<number> {
    const result = await this.call<unknown>('eth_blockNumber', [], options);
    const height = typeof result === 'string' ? quantity(result) : undefined;
    if (height === undefined) {
      throw new LodeError('node', `eth node at ${this.url} answered eth_blockNumber with a malformed result (expected a 0x-hex quantity): ${short(result)}`);
    }
    return height;
  }

  private async bool(method: string, params: unknown[], options?: EthRpcCallOptions): Promise<boolean> {
    const result = await this.call<unknown>(method, params, options);
    if (typeof result !== 'boolean') {
      throw new LodeError('node', `eth node at ${this.url} answered ${method} with a malformed result (expected true or false): ${short(result)}`);
    }
    return result;
  }
}

/** A JSON-RPC quantity ("0x1b4") as a safe integer, or undefined. */
function quantity(hex: string): number | undefined {
  if (!QUANTITY_HEX.test(hex)) return undefined;
  const value = Number.parseInt(hex.slice(2), 16);
  return Number.isSafeInteger(value) ? value : undefined;
}

function assertBytes32(value: Buffer, what: string): void {
  if (!Buffer.isBuffer(value) || value.length !== 32) {
    throw new LodeError('plugin', `${what} must be 32 bytes, got ${Buffer.isBuffer(value) ? value.length : typeof value}`);
  }
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** fetch wraps the socket error ("fetch failed", cause.code ECONNREFUSED); name the errno when there is one. */
function transportReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}
